// generate with the real builder: every file of DESIGN §2, byte-identical across runs, --check on real output,
// and the demo profile through the CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GENERATED_FILES } from '@provider-health/schema';
import { main, type CliIo } from '../../src/cli';

const RULES = path.resolve(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ph-generate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: RULES };
  return { code: main(argv, io), stdout: out.join(''), stderr: err.join('') };
}

const read = (out: string, rel: string) => readFileSync(path.join(out, rel), 'utf8');

describe('generate with the real builder', () => {
  it('writes every generated file, identically on a second run, and --check agrees', () => {
    const out = path.join(dir, 'default');
    const first = run('generate', '--out', out, '--format', 'json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).files).toEqual(Object.values(GENERATED_FILES).sort());
    const contents = Object.values(GENERATED_FILES).map((f) => read(out, f));
    expect(JSON.parse(run('generate', '--out', out, '--format', 'json').stdout).changed).toEqual([]);
    expect(Object.values(GENERATED_FILES).map((f) => read(out, f))).toEqual(contents);
    expect(run('generate', '--out', out, '--check').code).toBe(0);

    writeFileSync(path.join(out, GENERATED_FILES.route), 'route: {}\n');
    const check = run('generate', '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`stale: ${GENERATED_FILES.route}`);
  });

  it('finds the committed output up to date (else: npm run generate and commit)', () => {
    const r = run('generate', '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('renders the demo profile: its intervals reach prometheus.yml, the rule names stay', () => {
    const base = path.join(dir, 'base');
    const demo = path.join(dir, 'demo');
    expect(run('generate', '--out', base).code).toBe(0);
    expect(run('generate', '--out', demo, '--overlay', 'profiles/demo.yaml').code).toBe(0);
    expect(read(demo, GENERATED_FILES.prometheus)).toMatch(/scrape_interval: 5s/);
    expect(read(base, GENERATED_FILES.prometheus)).toMatch(/scrape_interval: 15s/);
    const recordNames = (t: string) => [...t.matchAll(/- record: (\S+)/g)].map((m) => m[1]);
    expect(recordNames(read(demo, GENERATED_FILES.rules))).toEqual(recordNames(read(base, GENERATED_FILES.rules)));
    expect(read(demo, GENERATED_FILES.rules)).not.toEqual(read(base, GENERATED_FILES.rules));
  });
});
