// The Prometheus rule file: one group evaluated in order (thresholds, SLIs, resolved thresholds, alerts),
// so alerts see this evaluation's SLIs rather than the previous one's; meta-monitoring apart.
import { ALERT_SCOPES, RULE_GROUPS, type ResolvedThresholds } from '@provider-health/schema';
import { buildAlertRules } from './alerts';
import { buildMetaRules } from './meta';
import { buildRecordingRules } from './recording';
import { buildResolvedThresholds, buildThresholdSeries } from './thresholds';
import type { RuleGroup } from './types';

export function buildRuleGroups(t: ResolvedThresholds): RuleGroup[] {
  const interval = t.prometheus.evaluationInterval;
  return [
    {
      name: RULE_GROUPS.provider,
      interval,
      rules: [
        ...buildThresholdSeries(t),
        ...buildRecordingRules(t),
        ...buildResolvedThresholds(t, ALERT_SCOPES),
        ...buildAlertRules(t),
      ],
    },
    { name: RULE_GROUPS.meta, interval, rules: buildMetaRules(t) },
  ];
}
