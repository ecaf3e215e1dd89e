// Generator speed and output size against the number of providers, each with 10 aliases and overrides at
// provider and alias level: the whole pipeline from thresholds.yaml text to rendered rules and routes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_FILES, THRESHOLD_SERIES } from '@provider-health/schema';
import { buildOutputs, buildRuleGroups, formatError, loadThresholds } from '../src';

export interface GeneratorFigures {
  providers: number;
  aliases: number;
  loadMs: number;
  buildMs: number;
  /** CPU time of load + build (user + system): less sensitive than wall time to other work on the machine. */
  cpuMs: number;
  /** SLI recording rules and alert rules: the same for any number of providers. */
  genericRules: number;
  thresholdRules: number;
  rulesBytes: number;
  routeBytes: number;
  totalBytes: number;
}

const ALIASES_PER_PROVIDER = 10;

/** The repository's thresholds.yaml with its providers replaced by n generated ones. */
export function syntheticThresholds(base: string, n: number): string {
  const head = base.slice(0, base.indexOf('\nproviders:'));
  const tail = base.slice(base.indexOf('\nalertmanager:'));
  const lines = ['', 'providers:'];
  for (let p = 0; p < n; p++) {
    lines.push(
      `  provider-${p}:`,
      `    errorRatio: { critical: ${10 + (p % 10)}% }`,
      `    minVolume: ${0.1 + (p % 5) / 10}`,
    );
    lines.push('    aliases:');
    for (let a = 0; a < ALIASES_PER_PROVIDER; a++) {
      lines.push(`      model-${a}: { latencyP95: { warning: ${21 + a}s }, rateLimited: { critical: ${30 + a}% } }`);
    }
  }
  return head + lines.join('\n') + tail;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeIt<T>(fn: () => T): [T, number, number] {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  return [value, Number(process.hrtime.bigint() - t0) / 1e6, (cpu.user + cpu.system) / 1000];
}

export function measureGenerator(counts: number[], runs: number): GeneratorFigures[] {
  const base = readFileSync(path.join(__dirname, '..', 'thresholds.yaml'), 'utf8');
  return counts.map((n) => {
    const text = syntheticThresholds(base, n);
    const samples = Array.from({ length: runs }, () => {
      const [loaded, loadMs, loadCpu] = timeIt(() => loadThresholds({ file: `synthetic-${n}.yaml`, text }));
      if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).map(formatError).join('\n'));
      const [files, buildMs, buildCpu] = timeIt(() => buildOutputs(loaded.resolved, { skipRuleTests: true }));
      return { loaded: loaded.resolved, files, loadMs, buildMs, cpuMs: loadCpu + buildCpu };
    });
    const { loaded, files } = samples[0];
    const rules = buildRuleGroups(loaded).flatMap((g) => g.rules);
    const thresholdRules = rules.filter((r) => 'record' in r && r.record === THRESHOLD_SERIES).length;
    const bytes = (f: string) => Buffer.byteLength(files[f] ?? '');
    return {
      providers: n,
      aliases: n * ALIASES_PER_PROVIDER,
      loadMs: median(samples.map((s) => s.loadMs)),
      buildMs: median(samples.map((s) => s.buildMs)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      genericRules: rules.length - thresholdRules,
      thresholdRules,
      rulesBytes: bytes(GENERATED_FILES.rules),
      routeBytes: bytes(GENERATED_FILES.route),
      totalBytes: Object.keys(files).reduce((sum, f) => sum + bytes(f), 0),
    };
  });
}
