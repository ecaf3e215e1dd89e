// The three upstream clients, each the real SDK pointed at a (wire-server) base URL. They return the
// answer or throw what the SDK threw; timing and recording happen in the attempt layer.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import OpenAI, { AzureOpenAI } from 'openai';
import type { Deployment } from '@provider-health/schema';
import type { ProviderKind, ProviderSpec } from './topology';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
export interface ChatInput {
  messages: ChatMessage[];
  maxTokens?: number;
}
export interface Usage {
  input: number;
  output: number;
}
export interface Reply {
  text: string;
  usage?: Usage;
}
export type StreamEvent = { text: string } | { usage: Usage };

export interface Upstream {
  /** True when the client records its own attempts (the instrumentation's fetch or middleware). */
  readonly instrumented: boolean;
  complete(model: string, input: ChatInput, signal: AbortSignal): Promise<Reply>;
  stream(model: string, input: ChatInput, signal: AbortSignal): Promise<AsyncIterable<StreamEvent>>;
}

export interface UpstreamEndpoints {
  /** Base URL per provider kind (the wire servers in the demo). */
  urls: Record<ProviderKind, string>;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** The instrumentation's fetch for one deployment's OpenAI / Azure client, when instrumented. */
  fetchFor?: (deployment: Deployment) => typeof fetch;
  /** Adds the instrumentation's middleware to a Bedrock client, when instrumented. */
  instrumentBedrock?: (client: BedrockRuntimeClient, deployment: Deployment) => void;
}

const FAKE_KEY = 'demo-not-a-secret';

/** One client per deployment, so the instrumentation knows which deployment each call goes to. */
export function createUpstream(spec: ProviderSpec, deployment: Deployment, endpoints: UpstreamEndpoints): Upstream {
  const fetch = endpoints.fetchFor?.(deployment);
  switch (spec.kind) {
    case 'openai':
      return openAiUpstream(
        new OpenAI({
          apiKey: FAKE_KEY,
          baseURL: `${endpoints.urls.openai}/v1`,
          maxRetries: 0, // the router retries and fails over itself
          timeout: endpoints.timeoutMs,
          fetch,
        }),
        fetch !== undefined,
      );
    case 'azure':
      return openAiUpstream(
        new AzureOpenAI({
          apiKey: FAKE_KEY,
          endpoint: endpoints.urls.azure,
          apiVersion: '2024-10-21',
          maxRetries: 0,
          timeout: endpoints.timeoutMs,
          fetch,
        }),
        fetch !== undefined,
      );
    case 'bedrock': {
      const client = new BedrockRuntimeClient({
        region: spec.region,
        endpoint: endpoints.urls.bedrock,
        credentials: { accessKeyId: 'AKIDEMO', secretAccessKey: FAKE_KEY },
        maxAttempts: 1,
        // HTTP/1.1 like the real endpoint's non-streaming calls; the SDK's default for this client
        // is HTTP/2, which the wire server (and many proxies) do not speak.
        requestHandler: new NodeHttpHandler({ requestTimeout: endpoints.timeoutMs }),
      });
      endpoints.instrumentBedrock?.(client, deployment);
      return bedrockUpstream(client, endpoints.instrumentBedrock !== undefined);
    }
  }
}

function openAiUpstream(client: OpenAI, instrumented: boolean): Upstream {
  return {
    instrumented,
    async complete(model, input, signal) {
      const r = await client.chat.completions.create(
        { model, messages: input.messages, max_tokens: input.maxTokens },
        { signal },
      );
      return {
        text: r.choices[0]?.message?.content ?? '',
        usage: r.usage ? { input: r.usage.prompt_tokens, output: r.usage.completion_tokens } : undefined,
      };
    },
    async stream(model, input, signal) {
      const s = await client.chat.completions.create(
        {
          model,
          messages: input.messages,
          max_tokens: input.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      return (async function* () {
        for await (const chunk of s) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) yield { text };
          if (chunk.usage) yield { usage: { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens } };
        }
      })();
    },
  };
}

const toBedrockMessages = (input: ChatInput) => ({
  system: input.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content })),
  messages: input.messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: [{ text: m.content }] })),
  inferenceConfig: input.maxTokens ? { maxTokens: input.maxTokens } : undefined,
});

function bedrockUpstream(client: BedrockRuntimeClient, instrumented: boolean): Upstream {
  return {
    instrumented,
    async complete(model, input, signal) {
      const r = await client.send(new ConverseCommand({ modelId: model, ...toBedrockMessages(input) }), {
        abortSignal: signal,
      });
      const text = (r.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
      return {
        text,
        usage: r.usage ? { input: r.usage.inputTokens ?? 0, output: r.usage.outputTokens ?? 0 } : undefined,
      };
    },
    async stream(model, input, signal) {
      const r = await client.send(new ConverseStreamCommand({ modelId: model, ...toBedrockMessages(input) }), {
        abortSignal: signal,
      });
      const events = r.stream;
      if (!events) throw new Error('Bedrock ConverseStream returned no stream');
      return (async function* () {
        for await (const e of events) {
          const text = e.contentBlockDelta?.delta?.text;
          if (text) yield { text };
          const u = e.metadata?.usage;
          if (u) yield { usage: { input: u.inputTokens ?? 0, output: u.outputTokens ?? 0 } };
        }
      })();
    },
  };
}
