// Golden examples: each rules/examples/<name>/ renders exactly to its committed expected/ folder.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { THRESHOLD_SERIES } from '@provider-health/schema';
import { binaryPath } from '@provider-health/testkit';
import { parse } from 'yaml';
import { EXAMPLES_DIR, EXPECTED, exampleNames, renderExample } from '../../scripts/regenerate-examples';

const FIX = 'Run `npm run generate:examples -w rules` and review the diff.';
const names = exampleNames();
const expectedDir = (name: string) => path.join(EXAMPLES_DIR, name, EXPECTED);
const expectedFile = (name: string, file: string) => readFileSync(path.join(expectedDir(name), file), 'utf8');

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; keep_firing_for?: string; expr: string }[] }[];
}
const rulesOf = (name: string): RuleFile => parse(expectedFile(name, 'provider-health.rules.yml')) as RuleFile;

describe('golden examples', () => {
  it('covers every feature', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'defaults-only',
        'provider-override',
        'alias-override',
        'demo-overlay',
        'no-clear',
        'several-providers',
      ]),
    );
  });

  it.each(names)('%s regenerates byte for byte', (name) => {
    const actual = renderExample(name);
    expect({ name, files: Object.keys(actual).sort() }).toEqual({ name, files: readdirSync(expectedDir(name)).sort() });
    for (const [file, content] of Object.entries(actual)) {
      const expected = expectedFile(name, file);
      if (content !== expected) throw new Error(`examples/${name}/${EXPECTED}/${file} is stale. ${FIX}`);
    }
  });

  it('keeps the SLI and alert rules independent of overrides: only threshold series differ', () => {
    const shared = (name: string) =>
      rulesOf(name).groups.flatMap((g) => g.rules.filter((r) => r.record !== THRESHOLD_SERIES));
    const base = shared('defaults-only');
    for (const name of ['provider-override', 'alias-override', 'several-providers']) {
      expect({ name, rules: shared(name) }).toEqual({ name, rules: base });
    }
    const thresholds = (name: string) =>
      rulesOf(name).groups.flatMap((g) => g.rules.filter((r) => r.record === THRESHOLD_SERIES)).length;
    expect(thresholds('several-providers')).toBeGreaterThan(thresholds('provider-override'));
    expect(thresholds('provider-override')).toBeGreaterThan(thresholds('defaults-only'));
  });

  it('without clear or keepFiringFor, alerts clear at their lowest level and keep firing for no extra time', () => {
    const rules = rulesOf('no-clear').groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.alert && r.keep_firing_for)).toEqual([]);
    const clearOf = (sli: string) =>
      rules
        .filter((r) => r.record === THRESHOLD_SERIES)
        .map((r) => r as unknown as { expr: string; labels: Record<string, string> })
        .find((r) => r.labels.sli === sli && r.labels.level === 'clear' && !r.labels.provider)?.expr;
    expect(clearOf('error_ratio')).toBe('vector(0.05)'); // the warning level
    expect(clearOf('latency_p95')).toBe('vector(60)'); // no warning: the critical level
    expect(
      rulesOf('defaults-only')
        .groups.flatMap((g) => g.rules)
        .some((r) => r.keep_firing_for),
    ).toBe(true);
  });

  it('every expected rule file passes promtool check rules with the duplicate-rules lint', () => {
    const files = names.map((name) => path.join(expectedDir(name), 'provider-health.rules.yml'));
    const r = spawnSync(
      binaryPath('promtool'),
      ['check', 'rules', '--lint=duplicate-rules', '--lint-fatal', ...files],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr + r.stdout).not.toMatch(/FAILED|error/i);
    expect(r.status).toBe(0);
  });
});
