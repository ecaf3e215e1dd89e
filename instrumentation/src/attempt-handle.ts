// The handle startAttempt() returns: times one upstream call and records it once.
import { performance } from 'node:perf_hooks';
import type { Span } from '@opentelemetry/api';
import type { Deployment } from '@provider-health/schema';
import type { RequestScope } from './tracing/request-scope';
import type { AttemptHandle, AttemptRecord, AttemptResult } from './types';

export const NO_ATTEMPT: AttemptHandle = { firstToken() {}, end() {} };

/** An attempt being timed: a class rather than closures, as one is made per upstream call. */
export class PendingAttempt implements AttemptHandle {
  private readonly t0 = performance.now();
  private ttft: number | undefined;
  private done = false;

  constructor(
    private readonly deployment: Deployment,
    private readonly tenant: string | undefined,
    private readonly scope: RequestScope | undefined,
    private readonly span: Span | undefined,
    private readonly finish: (r: AttemptRecord, scope: RequestScope | undefined, span: Span | undefined) => void,
  ) {}

  firstToken(): void {
    if (this.ttft === undefined) this.ttft = (performance.now() - this.t0) / 1000;
  }

  end(result: AttemptResult): void {
    if (this.done) return;
    this.done = true;
    const d = this.deployment;
    this.finish(
      {
        outcome: result?.outcome,
        statusCode: result?.statusCode,
        inputTokens: result?.inputTokens,
        outputTokens: result?.outputTokens,
        tenant: result?.tenant ?? this.tenant,
        provider: d.provider,
        alias: d.alias,
        region: d.region,
        latencySeconds: (performance.now() - this.t0) / 1000,
        timeToFirstTokenSeconds: result?.timeToFirstTokenSeconds ?? this.ttft,
      },
      this.scope,
      this.span,
    );
  }
}
