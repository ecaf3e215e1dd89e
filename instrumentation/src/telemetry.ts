// The entry point: createProviderTelemetry(options) returns the handles a router needs; all else is internal.
import type { Span } from '@opentelemetry/api';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { GENAI, OUTCOMES, type Deployment, type Outcome, type Reason } from '@provider-health/schema';
import { Recorder } from './aggregate/recorder';
import { RecorderProducer } from './aggregate/producer';
import { NO_ATTEMPT, PendingAttempt } from './attempt-handle';
import { readEnv } from './export/env';
import { startSdk } from './export/sdk';
import { HealthClient, type HealthClientStatus } from './health/client';
import { computedRoutable, makeWindowFactory, routablePoints, verdict } from './routing';
import type { WindowReading } from './window/health-window';
import { currentScope, requestScopes, type RequestInfo, type RequestScope } from './tracing/request-scope';
import { endAttemptSpan, startAttemptSpan, startRequestSpan } from './tracing/spans';
import { RateLimitedLog } from './util/rate-limited-log';
import type { ProviderTelemetryOptions } from './options';
import type { AttemptHandle, AttemptRecord, RouteVerdict } from './types';

export interface ProviderTelemetry {
  /** Records one finished attempt (for routers that time calls themselves). */
  attempt(record: AttemptRecord): void;
  /** Starts timing an attempt now; end() records it. Inside withRequestSpan it also makes the child span. */
  startAttempt(deployment: Deployment, options?: { tenant?: string; resendCount?: number }): AttemptHandle;
  retry(deployment: Deployment, reason: Reason): void;
  failover(from: Deployment, toProvider: string, reason: Reason): void;
  /** The router's own routable view of a deployment; wins over the computed one. undefined: computed again. */
  setRoutable(deployment: Deployment, value: 0 | 1 | undefined): void;
  /** May the router send to this deployment now? Server decision (with probe pacing) AND the local window. */
  mayRoute(deployment: Deployment): RouteVerdict;
  /** Runs fn as one logical request: a CLIENT span with a child per attempt; tenant and signal reach wrappers. */
  withRequestSpan<T>(info: RequestInfo, fn: () => Promise<T> | T): Promise<T>;
  /** The window's current reading of a deployment, when a window is configured. */
  windowReading(deployment: Deployment): WindowReading | undefined;
  /** The health API client's state, when configured. */
  healthApiStatus(): HealthClientStatus | undefined;
  /** The package's data as a MetricProducer, to add to a MeterProvider the application already runs. */
  readonly metricProducer: MetricProducer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);

export function createProviderTelemetry(options: ProviderTelemetryOptions = {}): ProviderTelemetry {
  const env = readEnv(options.env);
  const log = new RateLimitedLog(options.logger ?? ((m) => console.warn(m)));
  const say = (key: string, message: string) => log.log(key, message);
  const windowFactory = options.window ? makeWindowFactory(options.window) : undefined;
  const recorder = new Recorder({
    seriesLimit: options.seriesLimit,
    tenants: options.tenants,
    onDeployment: (s) => (s.window = windowFactory?.(s)),
  });
  for (const d of options.deployments ?? []) recorder.deployment(d);
  const client = options.healthApi ? new HealthClient(options.healthApi, say) : undefined;
  const producer = new RecorderProducer(recorder, () =>
    routablePoints(recorder, (s, nowMs) => computedRoutable(client, s, nowMs)),
  );

  const sdk = env.disabled ? undefined : startSdk(options, env, producer, say);
  const guard =
    <A extends unknown[]>(name: string, fn: (...a: A) => void) =>
    (...a: A): void => {
      try {
        fn(...a);
      } catch (err) {
        say(`api-${name}`, `${name}() failed and was ignored: ${(err as Error).message}`);
      }
    };

  const record = (r: AttemptRecord, scope: RequestScope | undefined) => {
    if (scope && r.tenant === undefined && scope.info.tenant !== undefined) r = { ...r, tenant: scope.info.tenant };
    recorder.attempt(r, Date.now());
    if (scope) scope.lastOutcome = r.outcome;
  };

  // The hot path: a plain try/catch rather than guard(), which would allocate its rest-argument array per call.
  const attempt = (r: AttemptRecord): void => {
    try {
      const scope = currentScope();
      record(r, scope);
      if (scope?.span && sdk?.tracer) {
        const end = Date.now();
        const span = startAttemptSpan(sdk.tracer, scope.span, r, scope.attempts++, end - r.latencySeconds * 1000);
        endAttemptSpan(span, r, end);
      }
    } catch (err) {
      say('api-attempt', `attempt() failed and was ignored: ${(err as Error).message}`);
    }
  };

  const finishAttempt = (r: AttemptRecord, scope: RequestScope | undefined, span: Span | undefined) => {
    try {
      record(r, scope);
      if (span) endAttemptSpan(span, r, Date.now());
    } catch (err) {
      say('api-end', `end() failed and was ignored: ${(err as Error).message}`);
    }
  };

  client?.start();

  return {
    attempt,
    startAttempt(deployment, opts = {}) {
      if (typeof deployment !== 'object' || deployment === null) {
        say('api-startAttempt', 'startAttempt() needs a deployment {provider, alias, region}; not recorded');
        return NO_ATTEMPT;
      }
      const scope = currentScope();
      let span: Span | undefined;
      try {
        const resend = opts.resendCount ?? scope?.attempts ?? 0;
        if (scope) scope.attempts++;
        if (scope?.span && sdk?.tracer) span = startAttemptSpan(sdk.tracer, scope.span, deployment, resend, Date.now());
      } catch (err) {
        say('api-startAttempt', `startAttempt() failed and was ignored: ${(err as Error).message}`);
      }
      return new PendingAttempt(deployment, opts.tenant, scope, span, finishAttempt);
    },
    retry: guard('retry', (d: Deployment, reason: Reason) => {
      if (OUTCOME_SET.has(reason)) recorder.retry(d, reason);
      else say('api-retry', `retry() reason "${reason}" is not an outcome (${OUTCOMES.join(', ')}); ignored`);
    }),
    failover: guard('failover', (from: Deployment, to: string, reason: Reason) => {
      if (OUTCOME_SET.has(reason)) recorder.failover(from, to, reason as Outcome);
      else say('api-failover', `failover() reason "${reason}" is not an outcome (${OUTCOMES.join(', ')}); ignored`);
    }),
    setRoutable: guard('setRoutable', (d: Deployment, value: 0 | 1 | undefined) => {
      const s = recorder.deployment(d);
      if (s && !s.overflow) s.routerRoutable = value;
    }),
    mayRoute(d) {
      try {
        return verdict(recorder, client, d, Date.now());
      } catch (err) {
        say('api-mayRoute', `mayRoute() failed, allowing: ${(err as Error).message}`);
        return { allow: true, probe: false, reason: 'error in mayRoute; failing open' };
      }
    },
    async withRequestSpan(info, fn) {
      let span: Span | undefined;
      try {
        span = sdk?.tracer ? startRequestSpan(sdk.tracer, info) : undefined;
      } catch (err) {
        say('api-withRequestSpan', `request span failed and was skipped: ${(err as Error).message}`);
      }
      const scope: RequestScope = { info, span, attempts: 0, lastOutcome: undefined };
      try {
        return await requestScopes.run(scope, fn);
      } finally {
        if (span) endRequestSpan(span, scope);
      }
    },
    windowReading(d) {
      const s = recorder.deployment(d);
      return s?.window?.read(Math.floor(Date.now() / 1000));
    },
    healthApiStatus: () => client?.status(),
    metricProducer: producer,
    async forceFlush() {
      await Promise.allSettled([sdk?.meters.forceFlush(), sdk?.traces?.forceFlush()]);
    },
    async shutdown() {
      client?.stop();
      await Promise.allSettled([sdk?.meters.shutdown(), sdk?.traces?.shutdown()]);
    },
  };
}

function endRequestSpan(span: Span, scope: RequestScope): void {
  if (scope.lastOutcome && scope.lastOutcome !== 'success') span.setAttribute(GENAI.errorType, scope.lastOutcome);
  span.end();
}
