// A fetch for `new OpenAI({ fetch })` and `new AzureOpenAI({ fetch })`: every call is one attempt (so the
// client's own retries are attempts too), timed to the end of the body, with usage and time to first token.
import type { Deployment, Outcome, Reason } from '@provider-health/schema';
import type { ProviderTelemetry } from '../telemetry';
import type { AttemptHandle } from '../types';
import { retryReason } from '../tracing/request-scope';
import { BodyObserver, openAiUsage, type Usage } from './body-observer';
import { outcomeOfError, outcomeOfStatus } from './classify';

export interface OpenAiFetchOptions {
  /** The fetch to wrap (default globalThis.fetch). */
  fetch?: typeof fetch;
  /**
   * Add `stream_options: {include_usage: true}` to streamed requests that do not set it (default true):
   * without it OpenAI and Azure send no usage on streams. The extra final chunk has `choices: []`, which the
   * openai client's stream helpers handle.
   */
  includeUsage?: boolean;
}

type FetchInit = RequestInit & { body?: unknown };

export function instrumentOpenAiFetch(
  telemetry: ProviderTelemetry,
  deployment: Deployment,
  options: OpenAiFetchOptions = {},
): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  const includeUsage = options.includeUsage ?? true;
  let lastFailure: Reason = 'network';
  const remember = (o: Outcome) => {
    if (o !== 'success') lastFailure = o;
  };

  return async function providerHealthFetch(input: string | URL | Request, init?: FetchInit): Promise<Response> {
    const resend = retryCount(init);
    if (resend > 0) telemetry.retry(deployment, retryReason(lastFailure));
    const body = includeUsage ? withUsage(init?.body) : init?.body;
    const handle = telemetry.startAttempt(deployment, { resendCount: resend });
    let res: Response;
    try {
      res = await base(input, body === init?.body ? init : { ...init, body: body as RequestInit['body'] });
    } catch (err) {
      const outcome = outcomeOfError(err);
      remember(outcome);
      handle.end({ outcome });
      throw err;
    }
    const outcome = outcomeOfStatus(res.status);
    remember(outcome);
    if (!res.body) {
      handle.end({ outcome, statusCode: res.status });
      return res;
    }
    return observed(res, outcome, handle, remember);
  } as typeof fetch;
}

function retryCount(init: FetchInit | undefined): number {
  const h = init?.headers;
  if (!h) return 0;
  const v =
    h instanceof Headers
      ? h.get('x-stainless-retry-count')
      : ((h as Record<string, string>)['x-stainless-retry-count'] ??
        (h as Record<string, string>)['X-Stainless-Retry-Count']);
  const n = Number(v ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function withUsage(body: unknown): unknown {
  if (typeof body !== 'string' || !body.includes('"stream":true')) return body;
  try {
    const parsed = JSON.parse(body) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
    if (parsed.stream !== true || parsed.stream_options?.include_usage !== undefined) return body;
    parsed.stream_options = { ...parsed.stream_options, include_usage: true };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

/**
 * The same Response, observed as the client reads it. Reading through json()/text()/arrayBuffer() (what the
 * openai client does for JSON and error bodies) is timed at the method, with usage taken from the parsed
 * object, at almost no cost; reading `body` (SSE streams, other clients) gets a stream observed chunk by
 * chunk for time to first token, usage from the final chunk and cut streams.
 */
function observed(
  res: Response,
  statusOutcome: Outcome,
  handle: AttemptHandle,
  remember: (o: Outcome) => void,
): Response {
  let finished = false;
  const finish = (outcome: Outcome, usage: Usage = {}) => {
    if (finished) return;
    finished = true;
    remember(outcome);
    handle.end({ outcome, statusCode: res.status, ...usage });
  };
  const failed = (err: unknown) => finish(outcomeOfError(err));
  const ok = statusOutcome === 'success';
  Object.defineProperties(res, {
    json: {
      value: () =>
        PROTO.json.call(res).then((v: unknown) => {
          finish(statusOutcome, ok ? openAiUsage(v) : undefined);
          return v;
        }, rethrow(failed)),
    },
    text: {
      value: () =>
        PROTO.text.call(res).then((t) => {
          finish(statusOutcome, ok ? usageOfText(t) : undefined);
          return t;
        }, rethrow(failed)),
    },
    arrayBuffer: {
      value: () =>
        PROTO.arrayBuffer.call(res).then((b) => {
          finish(statusOutcome);
          return b;
        }, rethrow(failed)),
    },
    body: { get: memo(() => observedStream(res, statusOutcome, handle, finish)) },
  });
  return res;
}

const PROTO = Response.prototype;

const rethrow =
  (on: (err: unknown) => void) =>
  (err: unknown): never => {
    on(err);
    throw err;
  };

function memo<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

function usageOfText(t: string): Usage {
  if (!t.includes('"usage"')) return {};
  try {
    return openAiUsage(JSON.parse(t));
  } catch {
    return {};
  }
}

function observedStream(
  res: Response,
  statusOutcome: Outcome,
  handle: AttemptHandle,
  finish: (o: Outcome, u?: Usage) => void,
): ReadableStream<Uint8Array> | null {
  // The prototype's getter returns the original stream; the instance property shadows it for the client.
  const original = Object.getOwnPropertyDescriptor(Response.prototype, 'body')!.get!.call(
    res,
  ) as ReadableStream<Uint8Array> | null;
  if (!original) return original;
  const sse = (res.headers.get('content-type') ?? '').includes('text/event-stream');
  const obs = new BodyObserver(sse && statusOutcome === 'success', () => handle.firstToken());
  const reader = original.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          obs.end();
          // A stream that ends without [DONE] was cut by the provider or the network.
          finish(obs.sse && !obs.sawDone ? 'network' : statusOutcome, obs.usage);
          controller.close();
          return;
        }
        obs.chunk(value);
        controller.enqueue(value);
      } catch (err) {
        finish(outcomeOfError(err), obs.usage);
        controller.error(err);
      }
    },
    cancel(reason) {
      finish(statusOutcome === 'success' ? 'canceled' : statusOutcome, obs.usage);
      return reader.cancel(reason);
    },
  });
}
