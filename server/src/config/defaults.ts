// Defaults of every setting; the YAML file and the environment override them leaf by leaf.
import type { ServerConfig } from './types';

export function defaultConfig(): ServerConfig {
  return {
    listen: { host: '127.0.0.1', port: 8080 },
    tokens: { read: '', admin: '', hook: '' },
    prometheus: { url: 'http://127.0.0.1:9090', timeoutMs: 2000, cacheTtlMs: 5000, reload: true },
    alertmanager: { url: 'http://127.0.0.1:9093', timeoutMs: 2000, cacheTtlMs: 5000, manageConfig: false },
    storage: { path: 'provider-health.db', synchronous: 'full', retentionMs: 30 * 86_400_000 },
    thresholds: {
      file: '',
      outputDir: '',
      failoverWebhookUrl: '',
      hookTokenFile: '',
      fastWindow: '1m',
      slowWindow: '5m',
    },
    failover: {
      probeRatePerMin: 15,
      minDisabledMs: 5 * 60_000,
      maxDisabledMs: 60 * 60_000,
      flapWindowMs: 30 * 60_000,
      maxDisabledShare: 0.5,
      reconcileIntervalMs: 30_000,
      confirmIntervalMs: 10_000,
      confirmWindow: 'fast',
      dryRun: false,
    },
    actions: { templates: [], maxAttempts: 8, initialBackoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 5000 },
    bodyLimitBytes: 1024 * 1024,
    logLevel: 'info',
  };
}
