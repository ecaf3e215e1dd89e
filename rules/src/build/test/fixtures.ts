// DESIGN §4's example thresholds, resolved: the build stages' tests use it until loadThresholds lands.
import type { ResolvedLevels, ResolvedThresholds } from '@provider-health/schema';

const defaults: ResolvedLevels = {
  minVolume: 0.2,
  errorRatio: { warning: 0.05, critical: 0.2, clear: 0.02 },
  latencyP95: { warning: 20, critical: 60, clear: 15 },
  rateLimited: { warning: 0.1, critical: 0.5, clear: 0.05 },
  failoverRate: { warning: 0.05, critical: 0.2, clear: 0.02 },
  traffic: { floor: 0.1 },
};

const azure: ResolvedLevels = { ...defaults, errorRatio: { ...defaults.errorRatio, critical: 0.1 } };
const azureGpt4o: ResolvedLevels = { ...azure, latencyP95: { ...azure.latencyP95, warning: 30 } };

export function designExample(): ResolvedThresholds {
  return structuredClone({
    windows: { fast: '1m', slow: '5m' },
    slis: {
      errorRatio: { for: '30s', keepFiringFor: '1m', failover: true },
      latencyP95: { for: '1m', failover: true },
      rateLimited: { for: '1m', failover: true },
      failoverRate: { for: '2m', failover: false },
      traffic: { for: '2m', failover: false },
    },
    defaults,
    providers: { azure: { levels: azure, aliases: { 'gpt-4o': { levels: azureGpt4o } } } },
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
    links: {
      runbookUrl: 'https://github.com/provider-health/provider-health/blob/main/docs/runbook.md',
      dashboardUrl: 'http://grafana:3000/a/provider-health-app/providers',
    },
  });
}
