// The health API (GET /admin/providers/health) and failover contracts of DESIGN §5.
import type { AliasId, ProviderId, RegionId } from './telemetry';
import type { Severity } from './rules';

export const HEALTH_STATUSES = ['unknown', 'down', 'degraded', 'no_traffic', 'healthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export type SourceState = 'ok' | 'unreachable' | 'timeout' | 'error';

/** A decision's scope: the failover alert's labels among provider, region, alias. */
export interface DecisionScope {
  provider: ProviderId;
  region?: RegionId;
  alias?: AliasId;
}
export const DECISION_STATES = ['disabled', 'refused', 'ended'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export interface Decision {
  id: string;
  state: DecisionState;
  since: string;
  scope: DecisionScope;
  alert: string;
  probeRatePerMin: number;
  minDisabledUntil: string;
  /** Set in dry-run: what the state would be; the polled state stays routable. */
  wouldBe?: DecisionState;
  /** Set when a manual pin decides instead of alerts. */
  pinned?: 'routable' | 'disabled';
}

export interface SliReading {
  value: number | null;
  warning?: number;
  critical: number;
  clear?: number;
}

export interface DeploymentHealth {
  region: RegionId;
  alias: AliasId;
  status: HealthStatus;
  /** Why status is unknown or no_traffic, for people. */
  reason?: string;
  routable: boolean;
  decision?: Decision;
  slis: {
    errorRatio: SliReading;
    latencyP95: SliReading;
    rateLimited: SliReading;
    failoverRate?: SliReading;
    successPerSec: number | null;
    attemptsPerSec?: number | null;
  };
  history?: HealthHistory;
}

export interface Incident {
  alert: string;
  severity: Severity;
  since: string;
  summary: string;
  suggestedAction: string;
  region?: RegionId;
  alias?: AliasId;
  fingerprint?: string;
}

/** Spark-line series: [unix seconds, value] pairs. */
export interface HealthHistory {
  errorRatio: Array<[number, number | null]>;
  latencyP95: Array<[number, number | null]>;
  successPerSec: Array<[number, number | null]>;
}

export interface ProviderHealth {
  provider: ProviderId;
  status: HealthStatus;
  reason?: string;
  deployments: DeploymentHealth[];
  incidents: Incident[];
  history?: HealthHistory;
}

export interface HealthResponse {
  generatedAt: string;
  source: { prometheus: SourceState; alertmanager: SourceState; reason?: string };
  providers: ProviderHealth[];
}

/** Admin API paths and the token each needs. */
export const API_PATHS = {
  health: '/admin/providers/health',
  hook: '/hooks/alertmanager',
  audit: '/admin/audit',
  failover: '/admin/failover',
  overrides: '/admin/failover/overrides',
  settings: '/admin/settings',
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
} as const;
export const TOKEN_ROLES = ['read', 'admin', 'hook'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export const AUDIT_MARKS = ['acted', 'duplicate', 'stale', 'refused', 'ignored'] as const;
export type AuditMark = (typeof AUDIT_MARKS)[number];

/** The server's own Prometheus metrics (GET /metrics) and their labels. */
export const SERVER_METRICS = {
  notifications: { name: 'provider_health_server_notifications_total', labels: ['mark'] },
  decisions: { name: 'provider_health_server_decisions_total', labels: ['transition'] },
  routerActions: { name: 'provider_health_server_router_actions_total', labels: ['result'] },
  errors: { name: 'provider_health_server_errors_total', labels: ['kind'] },
  requestDuration: {
    name: 'provider_health_server_http_request_duration_seconds',
    labels: ['route', 'method', 'code'],
  },
  lastReconcile: { name: 'provider_health_server_last_reconcile_timestamp_seconds', labels: [] },
} as const;
