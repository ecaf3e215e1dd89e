// Meta-monitoring (DESIGN §4): the alerting pipeline watching itself.
import {
  ALERT_LABELS,
  ANNOTATIONS,
  COMPONENT,
  INSTRUMENTS,
  META_ALERTS,
  RULE_GROUPS,
  SCRAPE_JOBS,
  WATCHDOG_SEVERITY,
  type ResolvedThresholds,
} from '@provider-health/schema';
import { by, groupBy, on, oneOf, rate, regexLiteral, selector } from './promql';
import type { AlertingRule } from './types';

const TARGET = ['job', 'instance'];

function meta(
  t: ResolvedThresholds,
  rule: { alert: string; expr: string; for?: string },
  severity: string,
  text: { summary: string; description: string; action: string },
): AlertingRule {
  const alert = rule.alert;
  return {
    ...rule,
    labels: { [ALERT_LABELS.severity]: severity, [ALERT_LABELS.component]: COMPONENT },
    annotations: {
      [ANNOTATIONS.summary]: text.summary,
      [ANNOTATIONS.description]: text.description,
      [ANNOTATIONS.suggestedAction]: text.action,
      [ANNOTATIONS.runbookUrl]: `${t.links.runbookUrl}#${alert.toLowerCase()}`,
    },
  };
}

function watchdog(t: ResolvedThresholds): AlertingRule {
  return meta(t, { alert: META_ALERTS.watchdog, expr: 'vector(1)' }, WATCHDOG_SEVERITY, {
    summary: 'Provider-health alerting pipeline is alive',
    description:
      'Always firing. It reaches the dead-man receiver only; if that stops hearing from it, alerts are lost.',
    action:
      'If the dead-man service reports this alert missing: check Prometheus, its rule evaluation and Alertmanager.',
  });
}

/** Any target of the generated jobs, and any target that exported provider telemetry in the last hour. */
function targetDown(t: ResolvedThresholds): AlertingRule {
  const jobs = selector('up', [oneOf('job', Object.values(SCRAPE_JOBS))]);
  const telemetry = `present_over_time(${INSTRUMENTS.routable.prometheus}[1h])`;
  return meta(
    t,
    {
      alert: META_ALERTS.targetDown,
      expr: `up == 0\nand ${on(TARGET)}\n(${groupBy(TARGET, jobs)} or ${groupBy(TARGET, telemetry)})`,
      for: '2m',
    },
    'warning',
    {
      summary: 'Scrape target {{ $labels.job }}/{{ $labels.instance }} is down',
      description:
        'Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes: provider SLIs from ' +
        'it are missing and the health API reports unknown for what it measured.',
      action: 'Check that the process runs and that Prometheus reaches it (Status > Targets shows the scrape error).',
    },
  );
}

function ruleFailures(t: ResolvedThresholds): AlertingRule {
  const groups = Object.values(RULE_GROUPS).map(regexLiteral).join('|');
  const failures = selector('prometheus_rule_evaluation_failures_total', [
    { label: 'rule_group', op: '=~', value: `.*;(${groups})` },
  ]);
  return meta(
    t,
    {
      alert: META_ALERTS.ruleEvaluationFailures,
      expr: `sum ${by([...TARGET, 'rule_group'])} (increase(${failures}[5m])) > 0`,
    },
    'critical',
    {
      summary: 'Provider-health rules fail to evaluate',
      description:
        'Rule group {{ $labels.rule_group }} had evaluation failures in the last 5 minutes: provider alerts may not fire.',
      action:
        "Read Prometheus' log and Status > Rules for the failing rule; regenerate the rules with provider-health generate.",
    },
  );
}

function notificationFailures(t: ResolvedThresholds): AlertingRule {
  const failing = (metric: string) => `sum ${by(TARGET)} (${rate(selector(metric), '5m')}) > 0`;
  return meta(
    t,
    {
      alert: META_ALERTS.notificationFailures,
      expr: `${failing('prometheus_notifications_errors_total')}\nor\n${failing('prometheus_notifications_dropped_total')}`,
      for: '1m',
    },
    'critical',
    {
      summary: 'Prometheus fails to send alerts to Alertmanager',
      description:
        '{{ $labels.instance }} had notification errors or dropped alerts in the last 5 minutes: alerts and failover ' +
        'decisions may be late or lost.',
      action: "Check that Alertmanager is up and reachable from Prometheus, and Prometheus' log for the send errors.",
    },
  );
}

export function buildMetaRules(t: ResolvedThresholds): AlertingRule[] {
  return [watchdog(t), targetDown(t), ruleFailures(t), notificationFailures(t)];
}
