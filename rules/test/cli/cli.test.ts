// The command line: exit codes, error formats and "nothing written". The builder is replaced by a small
// fixed file set here so these tests pin the CLI's own behaviour; generate.test.ts runs the real one.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, type CliIo } from '../../src/cli';
import { BASE_FILE, withLine } from '../fixtures';

const mockBuild = jest.fn();
jest.mock('../../src/build', () => ({ buildOutputs: (...args: unknown[]) => mockBuild(...args) }));

const RULES = path.resolve(__dirname, '..', '..');
const FILES = { 'rules/generated/x.rules.yml': 'groups: []\n', 'provisioning/alertmanager/route.yml': 'route: {}\n' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ph-cli-'));
  mockBuild.mockReset();
  mockBuild.mockReturnValue(FILES);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir };
  const code = main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function badConfig(): string {
  const file = path.join(dir, 'bad.yaml');
  writeFileSync(file, withLine(3, '  minVolume: many'));
  return file;
}

const listOut = () => (existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')) : []);

describe('usage', () => {
  it('prints help and exits 0', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}provider-health generate/);
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['validate', '--nope']],
    [['generate', '--format', 'xml']],
    [['validate', '--check']],
  ])('refuses bad usage %j with exit 1 and the usage', (argv) => {
    const r = run(...argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^provider-health: .+\nUsage:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('validate', () => {
  it('accepts the repository default when no --config is given', () => {
    const r = run('validate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/thresholds\.yaml: ok \(1 provider\(s\) with overrides\)\n$/);
  });

  it('prints file:line:col: message (hint) and exits 1', () => {
    const file = badConfig();
    const r = run('validate', '--config', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'bad.yaml:3:14: defaults.minVolume must be a number, got the string "many"\n1 error(s); nothing written.\n',
    );
    expect(existsSync(file)).toBe(true);
  });

  it('prints the errors as JSON with --format json', () => {
    badConfig();
    const r = run('validate', '--config', 'bad.yaml', '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual({
      ok: false,
      errors: [
        { file: 'bad.yaml', line: 3, col: 14, message: 'defaults.minVolume must be a number, got the string "many"' },
      ],
    });
  });

  it('applies overlays in order', () => {
    writeFileSync(path.join(dir, 'o.yaml'), 'providers: { openai: { errorRatio: { critical: 30% } } }\n');
    const r = run('validate', '--config', BASE_FILE, '--overlay', 'o.yaml', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, config: BASE_FILE, overlays: ['o.yaml'], providers: 2 });
  });

  it('reports a missing config file as a positioned error', () => {
    const r = run('validate', '--config', 'missing.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^missing\.yaml:1:1: cannot read the file \(ENOENT\) \(check the path\)\n/);
  });
});

describe('generate', () => {
  it('writes the builder output under --out', () => {
    const r = run('generate', '--config', BASE_FILE, '--out', 'out');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/rules/generated/x.rules.yml'), 'utf8')).toBe('groups: []\n');
    expect(r.stdout).toMatch(/^2 files under .*out, 2 changed\n/);
    expect(mockBuild.mock.calls[0][0].alertmanager.receivers.email).toBe('budget-email');
  });

  it('names the source relative to the output root, whatever the working directory', () => {
    const fromRules = main(['generate', '--check'], { stdout: () => {}, stderr: () => {}, cwd: RULES });
    const fromElsewhere = run('generate', '--check', '--overlay', path.join(RULES, 'profiles/demo.yaml'));
    expect([fromRules, fromElsewhere.code]).toEqual([1, 1]); // the fake files are not in the repository
    expect(mockBuild.mock.calls.map((c) => c[1])).toEqual([
      { configPath: 'rules/thresholds.yaml' },
      { configPath: 'rules/thresholds.yaml + rules/profiles/demo.yaml' },
    ]);
  });

  it('writes nothing on a config error', () => {
    const r = run('generate', '--config', badConfig(), '--out', 'out');
    expect(r.code).toBe(1);
    expect(listOut()).toEqual([]);
    expect(mockBuild).not.toHaveBeenCalled();
  });

  it('writes nothing when one file cannot be written', () => {
    mockBuild.mockReturnValue({ ...FILES, 'rules/generated/x.rules.yml/inside-a-file': 'x' });
    const r = run('generate', '--config', BASE_FILE, '--out', 'out');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^provider-health: cannot write under .*; nothing written\.\n$/);
    expect(existsSync(path.join(dir, 'out/provisioning/alertmanager/route.yml'))).toBe(false);
  });

  it('--check reports an unreadable output as a user error', () => {
    mkdirSync(path.join(dir, 'out/provisioning/alertmanager/route.yml'), { recursive: true });
    const r = run('generate', '--config', BASE_FILE, '--out', 'out', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^provider-health: cannot read under .*out: EISDIR: .*; nothing written\.\n$/);
  });

  it('exits 2 with one line on an internal error', () => {
    mockBuild.mockImplementation(() => {
      throw new TypeError('boom');
    });
    const r = run('generate', '--config', BASE_FILE, '--out', 'out');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('provider-health: internal error: boom\n');
    expect(listOut()).toEqual([]);
  });

  it('--check passes on fresh output and lists stale files without writing', () => {
    run('generate', '--config', BASE_FILE, '--out', 'out');
    expect(run('generate', '--config', BASE_FILE, '--out', 'out', '--check').code).toBe(0);
    const edited = path.join(dir, 'out/provisioning/alertmanager/route.yml');
    writeFileSync(edited, 'edited\n');
    const r = run('generate', '--config', BASE_FILE, '--out', 'out', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'stale: provisioning/alertmanager/route.yml\nGenerated output is stale: run npm run generate.\n',
    );
    expect(readFileSync(edited, 'utf8')).toBe('edited\n');
    const json = run('generate', '--config', BASE_FILE, '--out', 'out', '--check', '--format', 'json');
    expect(JSON.parse(json.stderr)).toEqual({ ok: false, stale: ['provisioning/alertmanager/route.yml'] });
  });
});

describe('as a process', () => {
  it('exits 1 on bad input without a stack trace', () => {
    const bad = badConfig();
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/cli.ts', 'validate', '--config', bad],
      {
        cwd: RULES,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${bad}:3:14: defaults.minVolume must be a number, got the string "many"\n1 error(s); nothing written.\n`,
    );
  });
});
