// Telemetry schema of DESIGN §3: every instrument, series, label and label value the packages share.

/** An OpenTelemetry instrument and the Prometheus series it becomes. */
export interface InstrumentName {
  readonly otel: string;
  readonly prometheus: string;
}

export const INSTRUMENTS = {
  latency: { otel: 'provider_latency_seconds', prometheus: 'provider_latency_seconds' },
  timeToFirstToken: {
    otel: 'provider_time_to_first_token_seconds',
    prometheus: 'provider_time_to_first_token_seconds',
  },
  requests: { otel: 'provider.requests', prometheus: 'provider_requests_total' },
  tokens: { otel: 'provider.tokens', prometheus: 'provider_tokens_total' },
  retries: { otel: 'provider.retries', prometheus: 'provider_retries_total' },
  failovers: { otel: 'provider.failovers', prometheus: 'provider_failovers_total' },
  routable: { otel: 'provider.routable', prometheus: 'provider_routable' },
  droppedLabels: {
    otel: 'provider.telemetry.dropped_labels',
    prometheus: 'provider_telemetry_dropped_labels_total',
  },
} as const satisfies Record<string, InstrumentName>;

/** Prometheus series of a histogram. */
export const histogramSeries = (name: string) =>
  ({ bucket: `${name}_bucket`, sum: `${name}_sum`, count: `${name}_count` }) as const;

export const LABELS = {
  provider: 'provider',
  alias: 'alias',
  region: 'region',
  outcome: 'outcome',
  statusCode: 'status_code',
  tenant: 'tenant',
  tokenType: 'token_type',
  reason: 'reason',
  toProvider: 'to_provider',
  /** Set to "true" on the one series that absorbs attribute sets beyond the series limit. */
  overflow: 'otel_metric_overflow',
  /** provider_telemetry_dropped_labels_total: which label was replaced. */
  droppedLabel: 'label',
} as const;
export type LabelName = (typeof LABELS)[keyof typeof LABELS];

/** The closed set of attempt outcomes. */
export const OUTCOMES = [
  'success',
  'server_error',
  'timeout',
  'network',
  'rate_limited',
  'client_error',
  'canceled',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes counted as errors in the error ratio. */
export const ERROR_OUTCOMES = ['server_error', 'timeout', 'network'] as const satisfies readonly Outcome[];
/** The saturation SLI's outcome. */
export const RATE_LIMITED_OUTCOME = 'rate_limited' as const satisfies Outcome;
/** Outcomes left out of every denominator (the caller gave up; the provider is not to blame). */
export const EXCLUDED_OUTCOMES = ['canceled'] as const satisfies readonly Outcome[];
/** `reason` of retries and failovers: any non-success outcome. */
export type Reason = Exclude<Outcome, 'success'>;

export const TOKEN_TYPES = ['input', 'output'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** Latency histogram buckets, seconds. Never the SDK's millisecond defaults. */
export const LATENCY_BUCKETS_SECONDS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68, 655.36,
] as const;
/** Time-to-first-token histogram buckets, seconds. */
export const TTFT_BUCKETS_SECONDS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2] as const;
/** A latency threshold must be below this: above it the p95 cannot be told apart from +Inf. */
export const TOP_FINITE_LATENCY_BUCKET = LATENCY_BUCKETS_SECONDS[LATENCY_BUCKETS_SECONDS.length - 1];

/** Values that label tenants when the real value may not be exported. */
export const OTHER_TENANT = 'other';

/** Provider, alias and region ids: lower-case, safe in PromQL strings, file names and URLs. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;
export const ID_MAX_LENGTH = 64;
export type ProviderId = string;
export type AliasId = string;
export type RegionId = string;

/**
 * Lower-cases and trims an id; returns undefined when the result is still not a valid id, so the
 * instrumentation and the config loader refuse the same values.
 */
export function normaliseId(raw: string): string | undefined {
  const id = raw.trim().toLowerCase();
  return id.length <= ID_MAX_LENGTH && ID_PATTERN.test(id) ? id : undefined;
}

/** A deployment: what a router can send a request to, and what provider_routable reports. */
export interface Deployment {
  provider: ProviderId;
  region: RegionId;
  alias: AliasId;
}

/** GenAI semantic-convention mapping (optional, documented in instrumentation/README.md). */
export const GENAI = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  tokenType: 'gen_ai.token.type',
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  serverAddress: 'server.address',
  errorType: 'error.type',
  httpStatusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
} as const;
