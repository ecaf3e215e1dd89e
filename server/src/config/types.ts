// The server's configuration: one YAML file (--config) with PROVIDER_HEALTH_* environment overrides.
import type { TokenRole } from '@provider-health/schema';

export type Transition = 'disabled' | 'refused' | 'ended';

/** An HTTP call made on a decision transition; every string is a Handlebars template over {alert, decision, transition}. */
export interface ActionTemplate {
  name: string;
  on: Transition[];
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ServerConfig {
  listen: { host: string; port: number };
  /** Token values, already read from their files or environment variables. Never logged. */
  tokens: Record<TokenRole, string>;
  prometheus: { url: string; timeoutMs: number; cacheTtlMs: number; reload: boolean };
  alertmanager: { url: string; timeoutMs: number; cacheTtlMs: number; manageConfig: boolean };
  /** `retentionMs`: dedup keys and finished router actions older than this are pruned (the audit log is kept). */
  storage: { path: string; synchronous: 'full' | 'normal'; retentionMs: number };
  /** The thresholds file this server manages through the settings API, and where generated files go. */
  thresholds: {
    file: string;
    outputDir: string;
    /** Passed to the generator so the regenerated configs point at this server. */
    failoverWebhookUrl: string;
    hookTokenFile: string;
    /** The SLI windows, used when the thresholds file cannot be read; the file's windows win. */
    fastWindow: string;
    slowWindow: string;
  };
  failover: {
    probeRatePerMin: number;
    minDisabledMs: number;
    maxDisabledMs: number;
    /** A scope disabled again within this time after its previous decision ended doubles the minimum. */
    flapWindowMs: number;
    maxDisabledShare: number;
    reconcileIntervalMs: number;
    /** How often disabled decisions whose alerts resolved are checked against Prometheus. */
    confirmIntervalMs: number;
    /** Window (fast or slow) of the recorded SLIs that confirm a recovery. */
    confirmWindow: 'fast' | 'slow';
    dryRun: boolean;
  };
  actions: {
    templates: ActionTemplate[];
    maxAttempts: number;
    initialBackoffMs: number;
    maxBackoffMs: number;
    timeoutMs: number;
  };
  bodyLimitBytes: number;
  logLevel: string;
}
