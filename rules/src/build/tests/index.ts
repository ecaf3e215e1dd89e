import type { ResolvedThresholds } from '@provider-health/schema';
export function buildRuleTests(_t: ResolvedThresholds, ruleFile: string) {
  return { rule_files: [ruleFile], evaluation_interval: '15s', tests: [] };
}
