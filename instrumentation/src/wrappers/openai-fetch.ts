// A fetch for `new OpenAI({ fetch })` and `new AzureOpenAI({ fetch })`: every call is one attempt (so the
// client's own retries are attempts too), timed to the end of the body, with usage and time to first token.
import type { Deployment, Outcome, Reason } from '@provider-health/schema';
import type { ProviderTelemetry } from '../telemetry';
import type { AttemptHandle } from '../types';
import { retryReason } from '../tracing/request-scope';
import { BodyObserver } from './body-observer';
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

/** A Response whose body is the original one, observed chunk by chunk as the client reads it. */
function observed(
  res: Response,
  statusOutcome: Outcome,
  handle: AttemptHandle,
  remember: (o: Outcome) => void,
): Response {
  const sse = (res.headers.get('content-type') ?? '').includes('text/event-stream');
  const obs = new BodyObserver(sse && statusOutcome === 'success', () => handle.firstToken());
  const reader = res.body!.getReader();
  let finished = false;
  const finish = (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    remember(outcome);
    handle.end({ outcome, statusCode: res.status, ...obs.usage });
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          obs.end();
          // A stream that ends without [DONE] was cut by the provider or the network.
          finish(obs.sse && !obs.sawDone ? 'network' : statusOutcome);
          controller.close();
          return;
        }
        obs.chunk(value);
        controller.enqueue(value);
      } catch (err) {
        finish(outcomeOfError(err));
        controller.error(err);
      }
    },
    cancel(reason) {
      finish(statusOutcome === 'success' ? 'canceled' : statusOutcome);
      return reader.cancel(reason);
    },
  });
  const wrapped = new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(wrapped, 'url', { value: res.url });
  return wrapped;
}
