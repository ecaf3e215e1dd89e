// The generated promtool unit tests: built from the resolved config so they follow its thresholds.
import type { ResolvedThresholds } from '@provider-health/schema';
import { context } from './context';
import { buildTestGroups } from './scenarios';

export function buildRuleTests(t: ResolvedThresholds, ruleFile: string) {
  return {
    rule_files: [ruleFile],
    evaluation_interval: t.prometheus.evaluationInterval,
    tests: buildTestGroups(context(t)),
  };
}
