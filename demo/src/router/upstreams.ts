// The three upstream clients, each the real SDK pointed at a (wire-server) base URL. They return the
// answer or throw what the SDK threw; timing and recording happen in the attempt layer.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import OpenAI, { AzureOpenAI } from 'openai';
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
  complete(model: string, input: ChatInput, signal: AbortSignal): Promise<Reply>;
  stream(model: string, input: ChatInput, signal: AbortSignal): Promise<AsyncIterable<StreamEvent>>;
}

export interface UpstreamEndpoints {
  /** Base URL per provider kind (the wire servers in the demo). */
  urls: Record<ProviderKind, string>;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** A fetch for the OpenAI clients (the instrumentation's wrapper, when used). */
  fetch?: typeof fetch;
  /** Extra middleware for the Bedrock client (the instrumentation's, when used). */
  bedrock?: (client: BedrockRuntimeClient, spec: ProviderSpec) => void;
}

const FAKE_KEY = 'demo-not-a-secret';

export function createUpstream(spec: ProviderSpec, endpoints: UpstreamEndpoints): Upstream {
  switch (spec.kind) {
    case 'openai':
      return openAiUpstream(
        new OpenAI({
          apiKey: FAKE_KEY,
          baseURL: `${endpoints.urls.openai}/v1`,
          maxRetries: 0, // the router retries and fails over itself
          timeout: endpoints.timeoutMs,
          fetch: endpoints.fetch,
        }),
      );
    case 'azure':
      return openAiUpstream(
        new AzureOpenAI({
          apiKey: FAKE_KEY,
          endpoint: endpoints.urls.azure,
          apiVersion: '2024-10-21',
          maxRetries: 0,
          timeout: endpoints.timeoutMs,
          fetch: endpoints.fetch,
        }),
      );
    case 'bedrock': {
      const client = new BedrockRuntimeClient({
        region: spec.region,
        endpoint: endpoints.urls.bedrock,
        credentials: { accessKeyId: 'AKIDEMO', secretAccessKey: FAKE_KEY },
        maxAttempts: 1,
        requestHandler: { requestTimeout: endpoints.timeoutMs },
      });
      endpoints.bedrock?.(client, spec);
      return bedrockUpstream(client);
    }
  }
}

function openAiUpstream(client: OpenAI): Upstream {
  return {
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

function bedrockUpstream(client: BedrockRuntimeClient): Upstream {
  return {
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
