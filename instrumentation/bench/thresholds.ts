// Resolved thresholds with DESIGN §4's default levels, for benchmarks and tests that need a window.
import type { ResolvedLevels, ResolvedThresholds } from '@provider-health/schema';

export function benchThresholds(overrides: Partial<ResolvedLevels> = {}): ResolvedThresholds {
  const defaults: ResolvedLevels = {
    minVolume: 0.2,
    errorRatio: { warning: 0.05, critical: 0.2, clear: 0.02 },
    latencyP95: { warning: 20, critical: 60, clear: 15 },
    rateLimited: { warning: 0.1, critical: 0.5, clear: 0.05 },
    failoverRate: { warning: 0.05, critical: 0.2, clear: 0.02 },
    traffic: { floor: 0.1 },
    ...overrides,
  };
  return {
    windows: { fast: '1m', slow: '5m' },
    slis: {
      errorRatio: { for: '30s', keepFiringFor: '1m', failover: true },
      latencyP95: { for: '1m', failover: true },
      rateLimited: { for: '1m', failover: true },
      failoverRate: { for: '2m', failover: false },
      traffic: { for: '2m', failover: false },
    },
    defaults,
    providers: {},
    alertmanager: {
      receivers: {
        email: 'budget-email',
        webhook: 'budget-webhook',
        failover: 'provider-failover',
        watchdog: 'deadman',
      },
      groupWait: '10s',
      groupInterval: '1m',
      repeatInterval: '4h',
    },
    prometheus: { scrapeInterval: '15s', evaluationInterval: '15s' },
    links: { runbookUrl: 'https://example.invalid/runbook', dashboardUrl: 'https://example.invalid/d' },
  };
}
