// What the demo prints about the stack it started: where to look and which intervals it runs with.
import { SLIS } from '@provider-health/schema';
import { DEMO_FAILOVER } from '../stack/config';
import type { Stack } from '../stack/stack';

export function describeStack(stack: Stack): string {
  const u = stack.urls;
  const t = stack.config.thresholds;
  const lines = [
    'Where to look',
    `  Prometheus        ${u.prometheus}   (alerts: ${u.prometheus}/alerts)`,
    `  Alertmanager      ${u.alertmanager}`,
    `  health API        ${u.health}`,
    `    read token      ${stack.tokens.read}   (file ${stack.config.tokenFiles.read})`,
    `    try             curl -H "Authorization: Bearer $(cat ${stack.config.tokenFiles.read})" ${u.health}`,
    `  router            ${u.router}/v1/chat/completions   (metrics ${u.routerMetrics})`,
    `  SMTP catcher      ${u.smtp}   webhook catcher ${u.webhooks}`,
    `  logs and configs  ${stack.dir}`,
    'Intervals',
    `  scrape ${t.prometheus.scrapeInterval}, rule evaluation ${t.prometheus.evaluationInterval}, windows ${t.windows.fast}/${t.windows.slow}`,
    `  for: ${SLIS.map((s) => `${s} ${t.slis[s].for}`).join(', ')}`,
    `  Alertmanager group_wait ${t.alertmanager.groupWait}, group_interval ${t.alertmanager.groupInterval}, repeat ${t.alertmanager.repeatInterval}`,
    `  server: probes ${DEMO_FAILOVER.probeRatePerMin}/min per deployment, minimum disabled ${DEMO_FAILOVER.minDisabled}, reconcile every ${DEMO_FAILOVER.reconcileInterval}`,
  ];
  return lines.join('\n');
}
