// A middleware for @aws-sdk/client-bedrock-runtime. It sits in the deserialize step, inside the SDK's retry
// middleware (finalizeRequest), so each of the SDK's own retries is one attempt; it wraps event streams
// (ConverseStream, InvokeModelWithResponseStream) to read usage from their final events.
import type { Deployment, Outcome, Reason } from '@provider-health/schema';
import type { ProviderTelemetry } from '../telemetry';
import type { AttemptHandle } from '../types';
import { retryReason } from '../tracing/request-scope';
import { outcomeOfAwsError } from './classify';
import type { Usage } from './body-observer';

export const BEDROCK_MIDDLEWARE_NAME = 'providerHealthAttemptMiddleware';

/** The part of a smithy client this needs; typed loosely so any @aws-sdk v3 client version fits. */
export interface MiddlewareStackLike {
  // Boundary with the SDK's generic middleware types, which differ between versions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  add(middleware: any, options: { step: 'deserialize'; name: string; priority: 'high' }): void;
}

/** Deployment of a call: a fixed one, or one per model id (Bedrock clients serve many models). */
export type BedrockDeployment = Deployment | ((modelId: string) => Deployment | undefined);

interface Args {
  input: { modelId?: string };
  request?: { headers?: Record<string, string> };
}
interface Out {
  output: Record<string, unknown> & { usage?: { inputTokens?: number; outputTokens?: number } };
  response?: { statusCode?: number; headers?: Record<string, string> };
}

export function instrumentBedrock(
  client: { middlewareStack: MiddlewareStackLike },
  telemetry: ProviderTelemetry,
  deployment: BedrockDeployment,
): void {
  let lastFailure: Reason = 'network';
  const middleware =
    (next: (args: Args) => Promise<Out>, context: { commandName?: string }) =>
    async (args: Args): Promise<Out> => {
      const d = typeof deployment === 'function' ? deployment(args.input?.modelId ?? '') : deployment;
      if (!d) return next(args);
      const resend = resendCount(args.request?.headers);
      if (resend > 0) telemetry.retry(d, retryReason(lastFailure));
      const handle = telemetry.startAttempt(d, { resendCount: resend });
      let out: Out;
      try {
        out = await next(args);
      } catch (err) {
        const { outcome, status } = outcomeOfAwsError(err);
        if (outcome !== 'success') lastFailure = outcome;
        handle.end({ outcome, statusCode: status });
        throw err;
      }
      const status = out.response?.statusCode;
      const streamKey =
        context.commandName === 'ConverseStreamCommand'
          ? 'stream'
          : context.commandName === 'InvokeModelWithResponseStreamCommand'
            ? 'body'
            : undefined;
      const stream = streamKey ? (out.output[streamKey] as AsyncIterable<unknown> | undefined) : undefined;
      if (streamKey && stream) {
        out.output[streamKey] = observeStream(stream, handle, status, (o) => {
          if (o !== 'success') lastFailure = o;
        });
      } else {
        handle.end({ outcome: 'success', statusCode: status, ...usageOf(out) });
      }
      return out;
    };
  client.middlewareStack.add(middleware, { step: 'deserialize', name: BEDROCK_MIDDLEWARE_NAME, priority: 'high' });
}

/** amz-sdk-request: attempt=2; max=3 → 1 resend. */
function resendCount(headers: Record<string, string> | undefined): number {
  const m = /attempt=(\d+)/.exec(headers?.['amz-sdk-request'] ?? '');
  return m ? Math.max(0, Number(m[1]) - 1) : 0;
}

function usageOf(out: Out): Usage {
  const u = out.output.usage;
  if (u) return { inputTokens: u.inputTokens, outputTokens: u.outputTokens };
  // InvokeModel: the body is model-specific, the token counts come as headers for every model.
  const h = out.response?.headers ?? {};
  const n = (v: string | undefined) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
  return {
    inputTokens: n(h['x-amzn-bedrock-input-token-count']),
    outputTokens: n(h['x-amzn-bedrock-output-token-count']),
  };
}

async function* observeStream(
  source: AsyncIterable<unknown>,
  handle: AttemptHandle,
  status: number | undefined,
  remember: (o: Outcome) => void,
): AsyncGenerator<unknown> {
  let usage: Usage = {};
  let complete = false;
  let finished = false;
  const finish = (outcome: Outcome) => {
    finished = true;
    remember(outcome);
    handle.end({ outcome, statusCode: status, ...usage });
  };
  try {
    for await (const event of source) {
      const seen = readEvent(event);
      if (seen.token) handle.firstToken();
      if (seen.usage) usage = seen.usage;
      if (seen.final) complete = true;
      yield event;
    }
    // An event stream that ends before its final event was cut.
    finish(complete ? 'success' : 'network');
  } catch (err) {
    finish(outcomeOfAwsError(err).outcome);
    throw err;
  } finally {
    if (!finished) finish('canceled'); // the caller stopped iterating
  }
}

interface EventReading {
  token?: boolean;
  usage?: Usage;
  final?: boolean;
}

function readEvent(event: unknown): EventReading {
  const e = event as {
    contentBlockDelta?: unknown;
    metadata?: { usage?: { inputTokens?: number; outputTokens?: number } };
    chunk?: { bytes?: Uint8Array };
  };
  if (e.contentBlockDelta) return { token: true };
  if (e.metadata)
    return {
      usage: { inputTokens: e.metadata.usage?.inputTokens, outputTokens: e.metadata.usage?.outputTokens },
      final: true,
    };
  if (e.chunk?.bytes) return readChunk(e.chunk.bytes);
  return {};
}

// InvokeModelWithResponseStream: the final chunk of every Bedrock model carries amazon-bedrock-invocationMetrics.
function readChunk(bytes: Uint8Array): EventReading {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (!text.includes('amazon-bedrock-invocationMetrics')) return { token: text.includes('delta') };
  try {
    const m = (JSON.parse(text) as Record<string, { inputTokenCount?: number; outputTokenCount?: number }>)[
      'amazon-bedrock-invocationMetrics'
    ];
    return { usage: { inputTokens: m?.inputTokenCount, outputTokens: m?.outputTokenCount }, final: true };
  } catch {
    return { final: true };
  }
}
