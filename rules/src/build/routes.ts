// The Alertmanager route subtree and inhibit rules to merge into an operator's configuration (DESIGN §4).
import { ALERT_LABELS, COMPONENT, LABELS, META_ALERTS, type ResolvedThresholds } from '@provider-health/schema';
import { quote } from './promql';

export const GROUP_BY = ['alertname', LABELS.provider, LABELS.region, LABELS.alias];

/** An Alertmanager matcher string; the value quoted so no value can change the matcher. */
const match = (label: string, value: string) => `${label}=${quote(value)}`;

export interface RouteTree {
  routes: Record<string, unknown>[];
  inhibit_rules: Record<string, unknown>[];
}

/**
 * Watchdog only to the dead-man receiver; failover="true" to the failover receiver and on (continue);
 * every other provider-health alert to the operator's webhook and e-mail receivers.
 */
export function buildRouteTree(t: ResolvedThresholds): RouteTree {
  const am = t.alertmanager;
  const subtree = {
    receiver: am.receivers.email,
    matchers: [match(ALERT_LABELS.component, COMPONENT)],
    group_by: GROUP_BY,
    group_wait: am.groupWait,
    group_interval: am.groupInterval,
    repeat_interval: am.repeatInterval,
    routes: [
      {
        receiver: am.receivers.watchdog,
        matchers: [match('alertname', META_ALERTS.watchdog)],
        group_wait: '0s',
        // A dead-man service expects to hear often, not every repeat interval.
        repeat_interval: am.groupInterval,
      },
      { receiver: am.receivers.failover, matchers: [match(ALERT_LABELS.failover, 'true')], continue: true },
      { receiver: am.receivers.webhook, continue: true },
      { receiver: am.receivers.email },
    ],
  };
  return {
    routes: [subtree],
    inhibit_rules: [
      {
        source_matchers: [match(ALERT_LABELS.component, COMPONENT), match(ALERT_LABELS.severity, 'critical')],
        target_matchers: [match(ALERT_LABELS.component, COMPONENT), match(ALERT_LABELS.severity, 'warning')],
        equal: ['alertname', LABELS.provider, LABELS.region, LABELS.alias, ALERT_LABELS.scope],
      },
    ],
  };
}
