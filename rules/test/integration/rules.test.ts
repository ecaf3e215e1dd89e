// The generated rules and unit tests with the real promtool and vmalert.
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { GENERATED_FILES, REPO_ROOT_RELATIVE } from './paths';
import { buildOutputs, loadThresholds } from '../../src';
import { run, tempDir } from './tools';

const thresholdsFile = path.join(REPO_ROOT_RELATIVE, 'rules', 'thresholds.yaml');

function resolved() {
  const r = loadThresholds({ file: thresholdsFile });
  if (!r.ok) throw new Error(`rules/thresholds.yaml does not load: ${JSON.stringify(r.errors)}`);
  return r.resolved;
}

const tmp = tempDir('ph-rules-');
afterAll(() => tmp.remove());

const files = buildOutputs(resolved(), { configPath: 'rules/thresholds.yaml' });
const ruleFile = tmp.write('provider-health.rules.yml', files[GENERATED_FILES.rules]);

/** The generated test file split in `parts` files, so promtool runs on both cores. */
function splitTests(content: string, parts: number, dir: string): string[] {
  const doc = parse(content);
  return Array.from({ length: parts }, (_, i) => {
    const tests = doc.tests.filter((_: unknown, j: number) => j % parts === i);
    return tmp.write(path.join(dir, `part-${i}.test.yml`), stringify({ ...doc, rule_files: [ruleFile], tests }));
  });
}

describe('generated rules with the real binaries', () => {
  it('pass promtool check rules with the duplicate-rules lint fatal', async () => {
    const r = await run('promtool', ['check', 'rules', '--lint=duplicate-rules', '--lint-fatal', ruleFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their generated promtool unit tests', async () => {
    const testFiles = splitTests(files[GENERATED_FILES.ruleTests], 2, 'all');
    const results = await Promise.all(testFiles.map((f) => run('promtool', ['test', 'rules', f])));
    for (const r of results) {
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.code).toBe(0);
    }
  }, 180_000);

  it('fail those unit tests when the rules judge a provider by other thresholds', async () => {
    const t = resolved();
    const provider = Object.keys(t.providers).sort()[0];
    t.providers[provider].levels.errorRatio.critical = 0.9;
    for (const alias of Object.values(t.providers[provider].aliases)) alias.levels.errorRatio.critical = 0.9;
    const wrongRules = tmp.write('wrong/provider-health.rules.yml', buildOutputs(t)[GENERATED_FILES.rules]);
    const doc = parse(files[GENERATED_FILES.ruleTests]);
    const tests = doc.tests.filter(
      (g: { name: string }) => g.name.startsWith('errorRatio:') && g.name.includes('absent'),
    );
    expect(tests).toHaveLength(1);
    const f = tmp.write('wrong/one.test.yml', stringify({ ...doc, rule_files: [wrongRules], tests }));
    const r = await run('promtool', ['test', 'rules', f]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('ProviderErrorRatioHigh');
  }, 60_000);

  it('pass promtool check rules for the demo profile too (5 s intervals, shorter for)', async () => {
    const r = loadThresholds({
      file: thresholdsFile,
      overlays: [path.join(REPO_ROOT_RELATIVE, 'rules', 'profiles', 'demo.yaml')],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const content = buildOutputs(r.resolved, { skipRuleTests: true })[GENERATED_FILES.rules];
    expect(content).toContain('interval: 5s');
    const demo = tmp.write('demo/provider-health.rules.yml', content);
    const check = await run('promtool', ['check', 'rules', '--lint=duplicate-rules', '--lint-fatal', demo]);
    expect(check.code).toBe(0);
  });

  it('load in vmalert -dryRun, which refuses a broken rule file', async () => {
    const args = (file: string) => [
      '-dryRun',
      `-rule=${file}`,
      '-httpListenAddr=127.0.0.1:0',
      '-datasource.url=http://127.0.0.1:1',
    ];
    const ok = await run('vmalert', args(ruleFile), undefined, 30_000);
    expect(ok.code).toBe(0);
    const broken = tmp.write('broken.rules.yml', files[GENERATED_FILES.rules].replace('vector(1)', 'vector(1'));
    const bad = await run('vmalert', args(broken), undefined, 30_000);
    expect(bad.code).not.toBe(0);
  });
});
