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
 * The response, observed as the client reads it. Reading through json()/text()/arrayBuffer() (what the
 * openai client does for JSON and error bodies) is timed at the method, with usage taken from the parsed
 * object, at almost no cost; reading `body` (SSE streams, other clients) gets a stream observed chunk by
 * chunk for time to first token, usage from the final chunk and cut streams. A subclass keeps undici's own
 * body handling (and its fast paths) untouched.
 */
function observed(
  res: Response,
  statusOutcome: Outcome,
  handle: AttemptHandle,
  remember: (o: Outcome) => void,
): Response {
  return new ObservedResponse(res, new Finisher(res.status, statusOutcome, handle, remember)) as unknown as Response;
}

class Finisher {
  private finished = false;
  constructor(
    readonly status: number,
    readonly statusOutcome: Outcome,
    readonly handle: AttemptHandle,
    private readonly remember: (o: Outcome) => void,
  ) {}

  finish(outcome: Outcome, usage: Usage = {}): void {
    if (this.finished) return;
    this.finished = true;
    this.remember(outcome);
    this.handle.end({
      outcome,
      statusCode: this.status,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    });
  }

  failed(err: unknown): never {
    this.finish(outcomeOfError(err));
    throw err;
  }
}

/** Response's members as a class declares them (Node's types declare them as properties, not overridable). */
interface ResponseMembers {
  get url(): string;
  get redirected(): boolean;
  get body(): ReadableStream<Uint8Array> | null;
  readonly headers: Headers;
  json(): Promise<unknown>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
const ResponseBase = Response as unknown as new (
  body: ReadableStream<Uint8Array> | null,
  init: ResponseInit,
) => ResponseMembers;

class ObservedResponse extends ResponseBase {
  private observedBody: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    private readonly source: Response,
    private readonly f: Finisher,
  ) {
    super(source.body, { status: source.status, statusText: source.statusText, headers: source.headers });
  }

  override get url(): string {
    return this.source.url;
  }

  override get redirected(): boolean {
    return this.source.redirected;
  }

  override get body(): ReadableStream<Uint8Array> | null {
    if (this.observedBody === undefined) this.observedBody = observedStream(super.body, this.headers, this.f);
    return this.observedBody;
  }

  override async json(): Promise<unknown> {
    let v: unknown;
    try {
      v = await super.json();
    } catch (err) {
      this.f.failed(err);
    }
    this.f.finish(this.f.statusOutcome, this.f.statusOutcome === 'success' ? openAiUsage(v) : undefined);
    return v;
  }

  override async text(): Promise<string> {
    let t = '';
    try {
      t = await super.text();
    } catch (err) {
      this.f.failed(err);
    }
    this.f.finish(this.f.statusOutcome, this.f.statusOutcome === 'success' ? usageOfText(t) : undefined);
    return t;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    let b: ArrayBuffer = new ArrayBuffer(0);
    try {
      b = await super.arrayBuffer();
    } catch (err) {
      this.f.failed(err);
    }
    this.f.finish(this.f.statusOutcome);
    return b;
  }
}

// The caller parses the text itself; reading the two counts with a scan of the `usage` object avoids
// parsing the whole body a second time.
const PROMPT_TOKENS = /"prompt_tokens"\s*:\s*(\d+)/;
const COMPLETION_TOKENS = /"completion_tokens"\s*:\s*(\d+)/;

function usageOfText(t: string): Usage {
  const at = t.lastIndexOf('"usage"');
  if (at < 0) return {};
  const tail = t.slice(at);
  const p = PROMPT_TOKENS.exec(tail);
  const c = COMPLETION_TOKENS.exec(tail);
  return { inputTokens: p ? Number(p[1]) : undefined, outputTokens: c ? Number(c[1]) : undefined };
}

function observedStream(
  original: ReadableStream<Uint8Array> | null,
  headers: Headers,
  f: Finisher,
): ReadableStream<Uint8Array> | null {
  if (!original) return original;
  const ok = f.statusOutcome === 'success';
  const sse = (headers.get('content-type') ?? '').includes('text/event-stream');
  const obs = new BodyObserver(sse && ok, () => f.handle.firstToken());
  const reader = original.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          obs.end();
          // A stream that ends without [DONE] was cut by the provider or the network.
          f.finish(obs.sse && !obs.sawDone ? 'network' : f.statusOutcome, obs.usage);
          controller.close();
          return;
        }
        obs.chunk(value);
        controller.enqueue(value);
      } catch (err) {
        f.finish(outcomeOfError(err), obs.usage);
        controller.error(err);
      }
    },
    cancel(reason) {
      f.finish(ok ? 'canceled' : f.statusOutcome, obs.usage);
      return reader.cancel(reason);
    },
  });
}
