// Building the generated files from resolved thresholds: pure stages, rendered deterministically.
import { GENERATED_FILES, type ResolvedThresholds } from '@provider-health/schema';
import { buildAlertmanagerExample, buildPrometheusExample } from './examples';
import { resolveOptions, type BuildOptions } from './options';
import { header, renderYaml } from './render';
import { renderRuleFile } from './rule-yaml';
import { buildRouteTree } from './routes';
import { buildRuleGroups } from './rule-file';
import { buildRuleTests } from './tests';

export type { BuildOptions } from './options';
export { buildRuleGroups } from './rule-file';
export { buildRouteTree } from './routes';

/** Repository-relative path -> file content, for every file of DESIGN §2. */
export type GeneratedFiles = Record<string, string>;

const MERGE_HINT =
  'Append `routes` to your root route.routes (before any catch-all) and `inhibit_rules` to your inhibit_rules.';

export function buildOutputs(resolved: ResolvedThresholds, options: BuildOptions = {}): GeneratedFiles {
  const o = resolveOptions(options);
  const head = (extra?: string) => header(o.configPath, extra);
  const tree = buildRouteTree(resolved);
  const files: GeneratedFiles = {
    [GENERATED_FILES.rules]: renderRuleFile(buildRuleGroups(resolved), head()),
    [GENERATED_FILES.route]: renderYaml(tree, head(MERGE_HINT)),
    [GENERATED_FILES.alertmanager]: renderYaml(buildAlertmanagerExample(resolved, tree, o), head()),
    [GENERATED_FILES.prometheus]: renderYaml(buildPrometheusExample(resolved, o), head()),
  };
  if (!o.skipRuleTests) {
    const tests = buildRuleTests(resolved, o.ruleTestRuleFile);
    const note = tests.skipped.length
      ? `not generated (no counts stay clear of every threshold): ${tests.skipped.join('; ')}`
      : undefined;
    files[GENERATED_FILES.ruleTests] = renderYaml(tests.doc, head(note));
  }
  return files;
}
