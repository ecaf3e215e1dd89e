// The part of @provider-health/instrumentation's telemetry the router uses, so the router can also run
// with instrumentation off (the throughput benchmark's baseline).
import type { Deployment, Outcome, Reason } from '@provider-health/schema';

export interface AttemptEnd {
  outcome: Outcome;
  statusCode?: number;
  inputTokens?: number;
  outputTokens?: number;
}
export interface AttemptTimer {
  firstToken(): void;
  end(result: AttemptEnd): void;
}
export interface Verdict {
  allow: boolean;
  probe: boolean;
  reason: string;
}

export interface RouterTelemetry {
  startAttempt(deployment: Deployment, options?: { tenant?: string; resendCount?: number }): AttemptTimer;
  retry(deployment: Deployment, reason: Reason): void;
  failover(from: Deployment, toProvider: string, reason: Reason): void;
  mayRoute(deployment: Deployment): Verdict;
  withRequestSpan<T>(info: { model: string; tenant?: string; operation?: string }, fn: () => Promise<T>): Promise<T>;
  shutdown(): Promise<void>;
}

const noopTimer: AttemptTimer = { firstToken: () => undefined, end: () => undefined };

/** Instrumentation off: every deployment routable, nothing recorded. */
export const NO_TELEMETRY: RouterTelemetry = {
  startAttempt: () => noopTimer,
  retry: () => undefined,
  failover: () => undefined,
  mayRoute: () => ({ allow: true, probe: false, reason: 'instrumentation off' }),
  withRequestSpan: (_info, fn) => fn(),
  shutdown: async () => undefined,
};
