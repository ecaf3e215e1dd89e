// The logical request an attempt belongs to, carried through async calls so wrappers (which only see a
// fetch or an SDK middleware) find the request span, the tenant and the caller's abort signal.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';
import type { Outcome, Reason } from '@provider-health/schema';

export interface RequestInfo {
  /** GenAI operation name, e.g. chat (default). */
  operation?: string;
  /** The model or alias asked for. */
  model: string;
  tenant?: string;
  /** The caller's signal: an abort while it is aborted is `canceled`, otherwise `timeout`. */
  signal?: AbortSignal;
}

export interface RequestScope {
  readonly info: RequestInfo;
  readonly span: Span | undefined;
  /** Attempts started so far in this request, all deployments. */
  attempts: number;
  lastOutcome: Outcome | undefined;
}

export const requestScopes = new AsyncLocalStorage<RequestScope>();

export const currentScope = (): RequestScope | undefined => requestScopes.getStore();

/** Why a resend happens: the request's last failed outcome, else the wrapper's own last failure. */
export function retryReason(fallback: Reason): Reason {
  const last = currentScope()?.lastOutcome;
  return last !== undefined && last !== 'success' ? last : fallback;
}
