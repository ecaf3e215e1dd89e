// Fuzz: mutated configs from a seeded PRNG each give clean positioned errors, or outputs that promtool
// accepts (all accepted rule files checked in one promtool call). PROVIDER_HEALTH_FUZZ_SEED replays a run.
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

  it('compiles every accepted config into rules promtool accepts, checked in one call', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ph-fuzz-'));
    try {
      const written = new Map<string, Case>();
      for (const c of accepted) {
        if (!c.result.ok) continue;
        let rules: string;
        try {
          rules = buildOutputs(c.result.resolved, { skipRuleTests: true })[GENERATED_FILES.rules];
        } catch (e) {
          throw new Error(replay(c, `buildOutputs threw: ${(e as Error).stack}`));
        }
        // Identical outputs need checking once.
        const name = `${createHash('sha256').update(rules).digest('hex').slice(0, 16)}.rules.yml`;
        if (!written.has(name)) writeFileSync(path.join(dir, name), rules);
        written.set(name, c);
      }
      const files = [...written.keys()].map((f) => path.join(dir, f));
      const r = spawnSync(
        binaryPath('promtool'),
        ['check', 'rules', '--lint=duplicate-rules', '--lint-fatal', ...files],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (r.status !== 0) {
        const failing = /Checking (\S+)\n(?:.*\n)*?\s+FAILED/.exec(r.stdout + r.stderr)?.[1];
        const c = failing ? written.get(path.basename(failing)) : undefined;
        const detail = (r.stdout + r.stderr).slice(-4000);
        throw new Error(
          c ? replay(c, `promtool refused ${failing}:\n${detail}`) : `promtool failed (run seed ${SEED}):\n${detail}`,
        );
      }
      expect(files.length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
