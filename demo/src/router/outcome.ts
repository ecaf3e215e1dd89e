// Maps what an upstream client threw to the closed set of attempt outcomes (DESIGN §3).
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Outcome } from '@provider-health/schema';

export interface Classified {
  outcome: Exclude<Outcome, 'success'>;
  statusCode?: number;
  message: string;
}

/** Outcomes worth another attempt (here or at another provider); client errors and cancels are not. */
export const RETRYABLE: ReadonlySet<Outcome> = new Set(['server_error', 'timeout', 'network', 'rate_limited']);

export function outcomeOfStatus(status: number): Classified['outcome'] {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

export function classify(err: unknown, signal?: AbortSignal): Classified {
  const message = err instanceof Error ? err.message : String(err);
  if (signal?.aborted || err instanceof APIUserAbortError) return { outcome: 'canceled', message };
  if (err instanceof APIConnectionTimeoutError) return { outcome: 'timeout', message };
  if (err instanceof APIConnectionError) return { outcome: 'network', message };
  if (err instanceof APIError && typeof err.status === 'number') {
    return { outcome: outcomeOfStatus(err.status), statusCode: err.status, message };
  }
  return classifyAws(err, message);
}

// AWS SDK errors are plain objects with a name and $metadata; no classes to import for every one.
function classifyAws(err: unknown, message: string): Classified {
  const e = (err ?? {}) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'ThrottlingException' || status === 429)
    return { outcome: 'rate_limited', statusCode: status, message };
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return { outcome: 'timeout', message };
  if (typeof status === 'number' && status > 0)
    return { outcome: outcomeOfStatus(status), statusCode: status, message };
  if (e.name === 'AbortError') return { outcome: 'canceled', message };
  return { outcome: 'network', message };
}
