// The generated promtool unit tests: built from the resolved config so they follow its thresholds.
import type { ResolvedThresholds } from '@provider-health/schema';
import { context } from './context';
import { buildTestGroups } from './scenarios';

/** The promtool test file's content, and the scenarios left out because the thresholds leave no room. */
export function buildRuleTests(t: ResolvedThresholds, ruleFile: string) {
  const { groups, skipped } = buildTestGroups(context(t));
  return {
    doc: { rule_files: [ruleFile], evaluation_interval: t.prometheus.evaluationInterval, tests: groups },
    skipped,
  };
}
