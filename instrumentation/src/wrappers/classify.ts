// Outcomes of DESIGN §3 from what a client library sees: an HTTP status, or the error it threw.
import type { Outcome } from '@provider-health/schema';
import { currentScope } from '../tracing/request-scope';

export function outcomeOfStatus(status: number): Outcome {
  if (status < 400) return 'success';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/** An error without a response: canceled when the caller's signal fired, timeout, or network. */
export function outcomeOfError(err: unknown, signal?: AbortSignal): Outcome {
  const e = err as
    { name?: string; code?: string; message?: string; cause?: { code?: string; name?: string } } | undefined;
  const name = e?.name ?? '';
  const code = e?.code ?? e?.cause?.code ?? '';
  if ((signal ?? currentScope()?.info.signal)?.aborted) return 'canceled';
  if (name === 'AbortError' || name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'timeout';
  if (/TIMEOUT|ETIMEDOUT/i.test(code) || /timed? ?out/i.test(e?.message ?? '')) return 'timeout';
  return 'network';
}

/** An AWS SDK error: throttling is rate_limited; then the HTTP status; else as outcomeOfError. */
export function outcomeOfAwsError(err: unknown): { outcome: Outcome; status?: number } {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $fault?: string } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? '';
  if (/Throttl|TooManyRequests/i.test(name) || status === 429) return { outcome: 'rate_limited', status };
  if (/ModelTimeout/.test(name)) return { outcome: 'timeout', status };
  if (status !== undefined && status >= 400) return { outcome: outcomeOfStatus(status), status };
  if (/ServiceUnavailable|InternalServer/.test(name)) return { outcome: 'server_error', status };
  return { outcome: outcomeOfError(err), status };
}
