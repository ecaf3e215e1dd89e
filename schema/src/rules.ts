// Names of the generated recording rules, threshold series and alerts (DESIGN §4). Rule names are
// derived from the configured windows, so nobody retypes them.
import type { LevelledSliId, SliId } from './thresholds';

/** Aggregation levels of the recorded SLIs, as `level` prefixes of `level:metric:operation`. */
export const AGGREGATIONS = {
  deployment: { prefix: 'provider_alias_region', by: ['provider', 'alias', 'region'] },
  region: { prefix: 'provider_region', by: ['provider', 'region'] },
  alias: { prefix: 'provider_alias', by: ['provider', 'alias'] },
  provider: { prefix: 'provider', by: ['provider'] },
} as const;
export type AggregationId = keyof typeof AGGREGATIONS;
/** Alert scopes: every provider alert is at (provider, region) or (provider, alias). */
export const ALERT_SCOPES = ['region', 'alias'] as const satisfies readonly AggregationId[];
export type AlertScope = (typeof ALERT_SCOPES)[number];

/** Recorded metrics (the middle part of a rule name) and their operation suffix before the window. */
export const RECORDED = {
  attempts: { metric: 'provider_attempts', op: 'rate' },
  errors: { metric: 'provider_errors', op: 'rate' },
  rateLimited: { metric: 'provider_rate_limited', op: 'rate' },
  successes: { metric: 'provider_successes', op: 'rate' },
  failovers: { metric: 'provider_failovers', op: 'rate' },
  latencyBuckets: { metric: 'provider_latency_seconds_bucket', op: 'rate' },
  errorRatio: { metric: 'provider_errors_per_attempt', op: 'ratio_rate' },
  rateLimitedRatio: { metric: 'provider_rate_limited_per_attempt', op: 'ratio_rate' },
  failoverRatio: { metric: 'provider_failovers_per_attempt', op: 'ratio_rate' },
  latencyP95: { metric: 'provider_latency_seconds', op: 'p95_rate' },
} as const;
export type RecordedId = keyof typeof RECORDED;

/** e.g. recordingRuleName('region', 'errorRatio', '5m') === 'provider_region:provider_errors_per_attempt:ratio_rate5m' */
export function recordingRuleName(level: AggregationId, recorded: RecordedId, window: string): string {
  const r = RECORDED[recorded];
  return `${AGGREGATIONS[level].prefix}:${r.metric}:${r.op}${window}`;
}

/** The recorded metric each levelled SLI is judged on. */
export const SLI_RECORDED: Record<LevelledSliId, RecordedId> = {
  errorRatio: 'errorRatio',
  latencyP95: 'latencyP95',
  rateLimited: 'rateLimitedRatio',
  failoverRate: 'failoverRatio',
};

/** `provider_health:threshold{sli, level, provider, alias}`: one series per default and per override. */
export const THRESHOLD_SERIES = 'provider_health:threshold';
/** Value of the threshold series' `sli` label, per SLI; `min_volume` for the volume guard. */
export const THRESHOLD_SLI_LABEL: Record<SliId | 'minVolume', string> = {
  errorRatio: 'error_ratio',
  latencyP95: 'latency_p95',
  rateLimited: 'rate_limited',
  failoverRate: 'failover_rate',
  traffic: 'traffic',
  minVolume: 'min_volume',
};
export const THRESHOLD_LEVELS = ['warning', 'critical', 'clear', 'floor', 'min'] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

export const ALERTS = {
  errorRatio: 'ProviderErrorRatioHigh',
  latencyP95: 'ProviderLatencyP95High',
  rateLimited: 'ProviderRateLimited',
  failoverRate: 'ProviderFailoverRateHigh',
  traffic: 'ProviderTrafficStopped',
} as const satisfies Record<SliId, string>;
export type ProviderAlertName = (typeof ALERTS)[SliId];

export const META_ALERTS = {
  watchdog: 'Watchdog',
  targetDown: 'ProviderHealthTargetDown',
  ruleEvaluationFailures: 'ProviderHealthRuleEvaluationFailures',
  notificationFailures: 'ProviderHealthNotificationFailures',
} as const;

export const ALERT_LABELS = {
  severity: 'severity',
  sli: 'sli',
  scope: 'scope',
  failover: 'failover',
  component: 'component',
} as const;
export const COMPONENT = 'provider-health';
export const SEVERITIES = ['warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ANNOTATIONS = {
  summary: 'summary',
  description: 'description',
  suggestedAction: 'suggested_action',
  runbookUrl: 'runbook_url',
  dashboardUrl: 'dashboard_url',
  value: 'value',
  threshold: 'threshold',
} as const;

/** Files the generator writes, relative to the repository root (DESIGN §2). */
export const GENERATED_FILES = {
  rules: 'rules/generated/provider-health.rules.yml',
  ruleTests: 'rules/generated/provider-health.rules.test.yml',
  route: 'provisioning/alertmanager/provider-health.route.yml',
  alertmanager: 'provisioning/alertmanager/alertmanager.yml',
  prometheus: 'provisioning/prometheus/prometheus.yml',
} as const;

/**
 * The effective thresholds of each alert scope, recorded per (provider, region) and (provider, alias) with
 * labels `sli` and `level`: the most specific `provider_health:threshold` series, falling back to the default.
 * Alerts compare with them; the health API can read them.
 */
export function resolvedThresholdName(scope: AlertScope): string {
  return `${AGGREGATIONS[scope].prefix}:provider_health_threshold:resolved`;
}
/** The window the traffic-stopped alert takes as the expected level. */
export const TRAFFIC_BASELINE_WINDOW = '1h';
/** Rule groups of the generated rule file. */
export const RULE_GROUPS = { provider: 'provider-health', meta: 'provider-health-meta' } as const;
/** Scrape job names of the generated example prometheus.yml. */
export const SCRAPE_JOBS = {
  telemetry: 'provider-telemetry',
  server: 'provider-health-server',
  alertmanager: 'alertmanager',
  prometheus: 'prometheus',
} as const;
/** Severity of the always-firing Watchdog: it is no incident. */
export const WATCHDOG_SEVERITY = 'none';
