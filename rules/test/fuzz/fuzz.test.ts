// Fuzz: mutated configs from a seeded PRNG each give clean positioned errors, or rules that promtool accepts
// and an Alertmanager config amtool accepts (all distinct files checked in one call per tool).
// PROVIDER_HEALTH_FUZZ_SEED replays a run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GENERATED_FILES } from '@provider-health/schema';
import { binaryPath } from '@provider-health/testkit';
import { buildOutputs } from '../../src/build';
import { loadThresholds, formatError, type LoadResult } from '../../src/config';
import { BASE } from '../fixtures';
import { mutate } from './mutate';

const SEED = Number(process.env.PROVIDER_HEALTH_FUZZ_SEED ?? 20261203);
const CASES = 1200;
const BASES = [BASE, readFileSync(path.resolve(__dirname, '..', '..', 'thresholds.yaml'), 'utf8')];

interface Case {
  seed: number;
  input: Buffer;
  result: LoadResult;
}

/** What a failure prints so it can be replayed: the run's seed, the case's seed and the input. */
const replay = (c: Case, why: string) =>
  `${why}\nrun seed ${SEED} (PROVIDER_HEALTH_FUZZ_SEED=${SEED}), case seed ${c.seed}; input:\n${c.input.toString('utf8').slice(0, 3000)}`;

const BAD_TEXT = /undefined|NaN|\[object Object\]|\n\s+at /;

function runCases(): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < CASES; i++) {
    const seed = SEED + i;
    const input = mutate(BASES[i % BASES.length], seed);
    let result: LoadResult;
    try {
      result = loadThresholds({ file: 'fuzz.yaml', text: input });
    } catch (e) {
      throw new Error(
        replay({ seed, input, result: { ok: false, errors: [] } }, `loadThresholds threw: ${(e as Error).stack}`),
      );
    }
    cases.push({ seed, input, result });
  }
  return cases;
}

describe(`fuzz (seed ${SEED})`, () => {
  const cases = runCases();
  const accepted = cases.filter((c) => c.result.ok);

  it('mixes accepted and refused configs', () => {
    expect(cases).toHaveLength(CASES);
    expect(accepted.length).toBeGreaterThan(CASES * 0.1);
    expect(CASES - accepted.length).toBeGreaterThan(CASES * 0.5);
  });

  it('refuses with positioned, readable errors', () => {
    for (const c of cases) {
      if (c.result.ok) continue;
      if (c.result.errors.length === 0) throw new Error(replay(c, 'refused without an error'));
      for (const e of c.result.errors) {
        const ok =
          e.file === 'fuzz.yaml' &&
          Number.isInteger(e.line) &&
          e.line >= 1 &&
          Number.isInteger(e.col) &&
          e.col >= 1 &&
          e.message.length > 0 &&
          !BAD_TEXT.test(formatError(e));
        if (!ok) throw new Error(replay(c, `bad error: ${JSON.stringify(e)}`));
      }
    }
  });

  /** Each distinct generated file once (identical outputs need checking once), with a case that made it. */
  interface Written {
    dir: string;
    rules: Map<string, Case>;
    alertmanager: Map<string, Case>;
  }
  let written: Written;
  beforeAll(() => {
    written = { dir: mkdtempSync(path.join(tmpdir(), 'ph-fuzz-')), rules: new Map(), alertmanager: new Map() };
    for (const c of accepted) {
      if (!c.result.ok) continue;
      let files: Record<string, string>;
      try {
        files = buildOutputs(c.result.resolved, { skipRuleTests: true });
      } catch (e) {
        throw new Error(replay(c, `buildOutputs threw: ${(e as Error).stack}`));
      }
      keep(written.rules, files[GENERATED_FILES.rules], 'rules.yml', c);
      keep(written.alertmanager, files[GENERATED_FILES.alertmanager], 'alertmanager.yml', c);
    }
  });
  afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

  function keep(into: Map<string, Case>, content: string, suffix: string, c: Case): void {
    const file = path.join(written.dir, `${createHash('sha256').update(content).digest('hex').slice(0, 16)}.${suffix}`);
    if (!into.has(file)) writeFileSync(file, content);
    into.set(file, c);
  }

  /** Runs a checker over all files at once; on failure names the first failing file's case. */
  function checkAll(argv: string[], files: Map<string, Case>, failing: RegExp): void {
    const [bin, ...args] = argv;
    const r = spawnSync(bin, [...args, ...files.keys()], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status === 0) return;
    const output = r.stdout + r.stderr;
    const file = failing.exec(output)?.[1];
    const c = file ? files.get(file) : undefined;
    const detail = output.slice(-4000);
    throw new Error(
      c
        ? replay(c, `${path.basename(bin)} refused ${file}:\n${detail}`)
        : `${bin} failed (run seed ${SEED}):\n${detail}`,
    );
  }

  it('compiles every accepted config into rules promtool accepts, checked in one call', () => {
    expect(written.rules.size).toBeGreaterThan(1);
    checkAll(
      [binaryPath('promtool'), 'check', 'rules', '--lint=duplicate-rules', '--lint-fatal'],
      written.rules,
      /Checking (\S+)\n(?:.*\n)*?\s+FAILED/,
    );
  });

  it('and into Alertmanager configs amtool accepts, checked in one call', () => {
    expect(written.alertmanager.size).toBeGreaterThan(1);
    checkAll([binaryPath('amtool'), 'check-config'], written.alertmanager, /Checking '([^']+)'\s+FAILED/);
  });
});
