// The entry point: createProviderTelemetry(options) returns the handles a router needs; all else is internal.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Span, Tracer } from '@opentelemetry/api';
import { MeterProvider, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_SERVICE_INSTANCE_ID } from '@opentelemetry/semantic-conventions/incubating';
import { GENAI, OUTCOMES, levelsFor, type Deployment, type Outcome, type Reason } from '@provider-health/schema';
import { Recorder } from './aggregate/recorder';
import { RecorderProducer, type GaugePoint } from './aggregate/producer';
import type { DeploymentState } from './aggregate/deployments';
import { chooseExporters, otlpReader, otlpSpanExporter, prometheusReader } from './export/exporters';
import { readEnv } from './export/env';
import { HealthClient, type HealthClientStatus } from './health/client';
import { HealthWindow, LOCAL_SLIS, type WindowReading } from './window/health-window';
import { parseDurationSeconds } from './window/duration';
import { currentScope, requestScopes, type RequestInfo, type RequestScope } from './tracing/request-scope';
import { endAttemptSpan, startAttemptSpan, startRequestSpan } from './tracing/spans';
import { RateLimitedLog } from './util/rate-limited-log';
import { SCOPE } from './descriptors';
import type { ProviderTelemetryOptions, WindowOptions } from './options';
import type { AttemptHandle, AttemptRecord, AttemptResult, RouteVerdict } from './types';

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
  const producer = new RecorderProducer(recorder, () => routablePoints(recorder, computeRoutable));

  function computeRoutable(s: DeploymentState, nowMs: number): boolean {
    const server = client?.word(s.deployment, nowMs);
    if (server && !server.routable) return false;
    return !s.window?.verdict(nowMs).sick;
  }

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

const NO_ATTEMPT: AttemptHandle = { firstToken() {}, end() {} };

/** An attempt being timed: a class rather than closures, as one is made per upstream call. */
class PendingAttempt implements AttemptHandle {
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

function endRequestSpan(span: Span, scope: RequestScope): void {
  if (scope.lastOutcome && scope.lastOutcome !== 'success') span.setAttribute(GENAI.errorType, scope.lastOutcome);
  span.end();
}

function makeWindowFactory(w: WindowOptions): (s: DeploymentState) => HealthWindow | undefined {
  const seconds = w.seconds ?? parseDurationSeconds(w.thresholds.windows.fast);
  const actOn = LOCAL_SLIS.filter((sli) => w.thresholds.slis[sli]?.failover);
  return (s) =>
    s.overflow
      ? undefined
      : new HealthWindow(seconds, levelsFor(w.thresholds, s.deployment.provider, s.deployment.alias), actOn);
}

function verdict(recorder: Recorder, client: HealthClient | undefined, d: Deployment, nowMs: number): RouteVerdict {
  const s = recorder.deployment(d);
  if (!s) return { allow: true, probe: false, reason: 'invalid deployment id; not judged' };
  const server = client?.word(s.deployment, nowMs);
  if (server && !server.routable) {
    const rate = server.decision?.probeRatePerMin ?? 0;
    const alert = server.decision?.alert ?? 'server decision';
    if (rate > 0 && nowMs - s.lastProbeMs >= 60_000 / rate) {
      s.lastProbeMs = nowMs;
      return { allow: true, probe: true, reason: `probe while disabled by ${alert}` };
    }
    return { allow: false, probe: false, reason: `disabled by ${alert}${server.stale ? ' (server view stale)' : ''}` };
  }
  const local = s.window?.verdict(nowMs);
  if (local?.sick) return { allow: false, probe: false, reason: local.reason };
  if (server?.unknown) return { allow: true, probe: false, reason: 'routable (no server decision yet)' };
  return { allow: true, probe: false, reason: server?.stale ? 'routable (server view stale)' : 'routable' };
}

function routablePoints(recorder: Recorder, compute: (s: DeploymentState, nowMs: number) => boolean): GaugePoint[] {
  const now = Date.now();
  return recorder.deployments.all().map((s) => ({
    attributes: s.base() as Record<string, string>,
    value: s.routerRoutable ?? (compute(s, now) ? 1 : 0),
  }));
}

interface Sdk {
  meters: MeterProvider;
  traces: BasicTracerProvider | undefined;
  tracer: Tracer | undefined;
}

function startSdk(
  options: ProviderTelemetryOptions,
  env: ReturnType<typeof readEnv>,
  producer: MetricProducer,
  say: (key: string, message: string) => void,
): Sdk {
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
      ...env.resourceAttributes,
      ...(options.serviceName ? { [ATTR_SERVICE_NAME]: options.serviceName } : {}),
      ...options.resourceAttributes,
    }),
  );
  const choice = chooseExporters(options.otlp, options.prometheus, env);
  const readers: MetricReader[] = [...(options.metricReaders?.(producer) ?? [])];
  if (choice.otlp) readers.push(otlpReader(choice.otlp, env, producer, say));
  if (choice.prometheus) readers.push(prometheusReader(choice.prometheus, env, producer, say));
  const meters = new MeterProvider({ resource, readers });
  const processors: SpanProcessor[] = [];
  if (options.tracing !== false) {
    if (options.spanExporter) processors.push(new BatchSpanProcessor(options.spanExporter));
    if (choice.otlp && !env.tracesOff) processors.push(new BatchSpanProcessor(otlpSpanExporter(choice.otlp, env, say)));
  }
  const traces = processors.length > 0 ? new BasicTracerProvider({ resource, spanProcessors: processors }) : undefined;
  return { meters, traces, tracer: traces?.getTracer(SCOPE.name, SCOPE.version) };
}
