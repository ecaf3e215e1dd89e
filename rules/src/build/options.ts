// Where the generated example configs point. Defaults are the compose service names; the demo and the
// tests pass real addresses to render runtime copies.
import { API_PATHS } from '@provider-health/schema';

/** Where the generated configs point; defaults are the compose service names of docker-compose.yml. */
export interface BuildOptions {
  /** Scrape targets of provider telemetry in the example prometheus.yml (host:port): routers or the collector. */
  scrapeTargets?: string[];
  /** The provider-health server's metrics target (host:port). */
  serverTarget?: string;
  /** Prometheus' own address (host:port), scraped as job prometheus. */
  prometheusTarget?: string;
  /** Alertmanager's base URL; Prometheus sends alerts there and scrapes its metrics. */
  alertmanagerUrl?: string;
  /** The server's Alertmanager webhook, e.g. http://server:8080/hooks/alertmanager. */
  failoverWebhookUrl?: string;
  /** File holding the hook token, referenced by Alertmanager's http_config.authorization.credentials_file. */
  hookTokenFile?: string;
  /** The operator's existing webhook receiver (the router's budget webhook). */
  budgetWebhookUrl?: string;
  /** The dead-man service the Watchdog goes to. */
  watchdogUrl?: string;
  smtpSmarthost?: string;
  smtpFrom?: string;
  emailTo?: string;
  /** Rule files named in prometheus.yml. */
  ruleFiles?: string[];
  /** Named in the generated files' header: which thresholds file they come from. */
  configPath?: string;
  /** Leave the promtool unit tests out (they are the slowest part to build, and only CI runs them). */
  skipRuleTests?: boolean;
  /** Rule file path the generated unit tests load, relative to the test file. */
  ruleTestRuleFile?: string;
}

export type ResolvedOptions = Required<Omit<BuildOptions, 'skipRuleTests'>> & { skipRuleTests: boolean };

export function resolveOptions(o: BuildOptions): ResolvedOptions {
  return {
    scrapeTargets: o.scrapeTargets ?? ['otel-gateway:9464'],
    serverTarget: o.serverTarget ?? 'server:8080',
    prometheusTarget: o.prometheusTarget ?? 'localhost:9090',
    alertmanagerUrl: o.alertmanagerUrl ?? 'http://alertmanager:9093',
    failoverWebhookUrl: o.failoverWebhookUrl ?? `http://server:8080${API_PATHS.hook}`,
    hookTokenFile: o.hookTokenFile ?? '/etc/alertmanager/secrets/hook-token',
    budgetWebhookUrl: o.budgetWebhookUrl ?? 'http://router:8081/hooks/alertmanager',
    watchdogUrl: o.watchdogUrl ?? 'http://deadman:9095/ping',
    smtpSmarthost: o.smtpSmarthost ?? 'mailcatcher:1025',
    smtpFrom: o.smtpFrom ?? 'alertmanager@example.com',
    emailTo: o.emailTo ?? 'oncall@example.com',
    ruleFiles: o.ruleFiles ?? ['/etc/prometheus/rules/provider-health.rules.yml'],
    configPath: o.configPath ?? 'rules/thresholds.yaml',
    skipRuleTests: o.skipRuleTests ?? false,
    ruleTestRuleFile: o.ruleTestRuleFile ?? 'provider-health.rules.yml',
  };
}
