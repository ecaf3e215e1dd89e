// Runs `promtool test rules` on generated test files and reads back what the rules did. promtool keeps the
// ALERTS series its rule evaluation writes, so one promql_expr_test at the end that expects nothing makes
// promtool print, as its failure, every alert series with the value we ask for (first firing time, count).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { binaryPath } from '@provider-health/testkit';
import { stringify } from 'yaml';
import type { InputSeries } from './trace';

export interface Probe {
  /** Tag of the probe; comes back as label `probe`. */
  name: string;
  /** PromQL over ALERTS; its result series come back with their values. */
  expr: string;
  evalTimeS: number;
}

export interface TestGroup {
  /** Tag of the group; comes back as label `trace`. */
  name: string;
  inputSeries: InputSeries[];
  probes: Probe[];
}

export interface ProbeResult {
  labels: Record<string, string>;
  value: number;
}

const tagged = (expr: string, trace: string, probe: string) =>
  `label_replace(label_replace(${expr}, "trace", "${trace}", "", ""), "probe", "${probe}", "", "")`;

/** Writes the test file next to the rule files and runs promtool once; returns every probed series. */
export async function runProbes(
  dir: string,
  ruleFiles: string[],
  groups: TestGroup[],
  intervalS: number,
  fileName: string,
): Promise<ProbeResult[]> {
  const test = {
    rule_files: ruleFiles.map((f) => path.basename(f)),
    evaluation_interval: `${intervalS}s`,
    tests: groups.map((g) => ({
      name: g.name,
      interval: `${intervalS}s`,
      input_series: g.inputSeries,
      promql_expr_test: g.probes.map((p) => ({
        expr: tagged(p.expr, g.name, p.name),
        eval_time: `${p.evalTimeS}s`,
        exp_samples: [],
      })),
    })),
  };
  const file = path.join(dir, fileName);
  writeFileSync(file, stringify(test, { lineWidth: 0 }));
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      binaryPath('promtool'),
      ['test', 'rules', file],
      { cwd: dir, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        // Failing is how promtool reports what it got; any other failure is a broken benchmark.
        if (error && !text.includes('got:')) reject(new Error(`promtool test rules ${file} failed:\n${text}`));
        else resolve(text);
      },
    );
  });
  // A probe that promtool could not evaluate would silently read as "nothing fired".
  const failed = output.match(/time: [^,]+, err: .*/);
  if (failed) throw new Error(`promtool could not evaluate a probe in ${file}: ${failed[0]}`);
  return parseGot(output);
}

const SAMPLE = /\{([^{}]*)\} (-?(?:[0-9.]+(?:E[+-]?\d+)?|NaN|[+-]?Inf))/g;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Every `{labels} value` promtool printed as what it got. */
export function parseGot(output: string): ProbeResult[] {
  const results: ProbeResult[] = [];
  for (const [, labelText, value] of output.matchAll(SAMPLE)) {
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, k, v]) => [k, v]));
    if (labels.probe !== undefined) results.push({ labels, value: Number(value) });
  }
  return results;
}

/** Runs tasks with at most `limit` at once (promtool is single-threaded; the machine has few cores). */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
