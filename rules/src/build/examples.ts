// Complete example configurations (DESIGN §2): alertmanager.yml with the operator's receivers and the
// provider-health subtree, prometheus.yml scraping the compose services. No secret: the hook token is a file.
import { ANNOTATIONS, SCRAPE_JOBS, type ResolvedThresholds } from '@provider-health/schema';
import type { ResolvedOptions } from './options';
import type { RouteTree } from './routes';

const SUBJECT =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
  '{{ .CommonLabels.alertname }} {{ .CommonLabels.provider }}' +
  '{{ with .CommonLabels.region }} region {{ . }}{{ end }}{{ with .CommonLabels.alias }} alias {{ . }}{{ end }}';

const BODY = [
  '{{ range .Alerts }}[{{ .Status | toUpper }}] {{ .Labels.severity }}: {{ .Annotations.summary }}',
  `{{ .Annotations.${ANNOTATIONS.description} }}`,
  `Suggested action: {{ .Annotations.${ANNOTATIONS.suggestedAction} }}`,
  `Runbook: {{ .Annotations.${ANNOTATIONS.runbookUrl} }}`,
  `{{ with .Annotations.${ANNOTATIONS.dashboardUrl} }}Dashboard: {{ . }}{{ end }}`,
  'Started: {{ .StartsAt }}',
  '',
  '{{ end }}',
].join('\n');

export function buildAlertmanagerExample(t: ResolvedThresholds, tree: RouteTree, o: ResolvedOptions) {
  const r = t.alertmanager.receivers;
  return {
    global: { smtp_smarthost: o.smtpSmarthost, smtp_from: o.smtpFrom, smtp_require_tls: false },
    route: { receiver: r.email, group_by: ['alertname'], routes: tree.routes },
    inhibit_rules: tree.inhibit_rules,
    receivers: [
      {
        name: r.email,
        email_configs: [{ to: o.emailTo, send_resolved: true, headers: { Subject: SUBJECT }, text: BODY }],
      },
      { name: r.webhook, webhook_configs: [{ url: o.budgetWebhookUrl, send_resolved: true }] },
      {
        name: r.failover,
        webhook_configs: [
          {
            url: o.failoverWebhookUrl,
            send_resolved: true,
            // Every alert of a group: the server judges each on its own.
            max_alerts: 0,
            http_config: { authorization: { type: 'Bearer', credentials_file: o.hookTokenFile } },
          },
        ],
      },
      { name: r.watchdog, webhook_configs: [{ url: o.watchdogUrl, send_resolved: false }] },
    ],
  };
}

function staticJob(job: string, targets: string[], extra: Record<string, unknown> = {}) {
  return { job_name: job, ...extra, static_configs: [{ targets }] };
}

export function buildPrometheusExample(t: ResolvedThresholds, o: ResolvedOptions) {
  const am = new URL(o.alertmanagerUrl);
  const amTarget = am.host;
  const amPath = am.pathname === '/' ? {} : { path_prefix: am.pathname };
  const amScheme = am.protocol.replace(':', '');
  return {
    global: { scrape_interval: t.prometheus.scrapeInterval, evaluation_interval: t.prometheus.evaluationInterval },
    rule_files: o.ruleFiles,
    alerting: { alertmanagers: [{ scheme: amScheme, ...amPath, static_configs: [{ targets: [amTarget] }] }] },
    scrape_configs: [
      staticJob(SCRAPE_JOBS.telemetry, o.scrapeTargets),
      staticJob(SCRAPE_JOBS.server, [o.serverTarget]),
      staticJob(SCRAPE_JOBS.alertmanager, [amTarget], { scheme: amScheme, ...amPathMetrics(am.pathname) }),
      staticJob(SCRAPE_JOBS.prometheus, [o.prometheusTarget]),
    ],
  };
}

function amPathMetrics(pathname: string) {
  return pathname === '/' ? {} : { metrics_path: `${pathname.replace(/\/$/, '')}/metrics` };
}
