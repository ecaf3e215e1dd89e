// `npm run bench -w rules`: time to detect and false alerts of the generated rules next to two baselines,
// measured with promtool on synthetic traces; and the generator's speed and output size. It prints figures;
// the targets of issue 2 are reported against, never asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATED_FILES, levelsFor } from '@provider-health/schema';
import { buildOutputs, formatError, loadThresholds } from '../src';
import { BASELINE_A, BASELINE_B, baselineARules, baselineBRules } from './baselines';
import { measureDetection, type Detection } from './detection';
import { measureFalseAlerts, type FalseAlerts } from './false-alerts';
import { measureGenerator, type GeneratorFigures } from './generator';
import { median, medianWorst, table } from './table';
import { HEALTHY } from './trace';

const INTERVAL_S = 15;
const OFFSETS_S = [0, 3, 6, 9, 12];
const LABELS = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const CONCURRENCY = Math.max(1, Math.min(2, os.availableParallelism()));

const PARTS = ['detection', 'quiet', 'generator'] as const;

/** `npm run bench -w rules -- [detection] [quiet] [generator]`; all three without arguments. */
function selectedParts(args: string[]): Set<string> {
  const unknown = args.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown part ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  return new Set(args.length ? args : PARTS);
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  const file = path.join(__dirname, '..', 'thresholds.yaml');
  const loaded = loadThresholds({ file });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatError).join('\n'));
  const resolved = loaded.resolved;
  const levels = levelsFor(resolved, LABELS.provider);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provider-health-bench-'));
  try {
    const write = (name: string, content: string) => (writeFileSync(path.join(dir, name), content), name);
    const ours = write(
      'provider-health.rules.yml',
      buildOutputs(resolved, { skipRuleTests: true })[GENERATED_FILES.rules],
    );
    const a = write('baseline-a.rules.yml', baselineARules(levels, `${INTERVAL_S}s`));
    const b = write('baseline-b.rules.yml', baselineBRules(`${INTERVAL_S}s`));
    const rules = { dir, oursAndBaselineA: [ours, a], baselineB: [b], intervalS: INTERVAL_S, concurrency: CONCURRENCY };
    if (parts.has('detection')) {
      console.log(
        `rules/thresholds.yaml, provider ${LABELS.provider}: error ratio critical ${levels.errorRatio.critical}, ` +
          `p95 critical ${levels.latencyP95.critical}s, 429 critical ${levels.rateLimited.critical}; ` +
          `scrape and evaluation every ${INTERVAL_S}s; healthy load ${HEALTHY.attempts} attempts/s; ` +
          `incident start offsets ${OFFSETS_S.join(', ')}s into the scrape interval; promtool, ${CONCURRENCY} at a time.\n`,
      );
      const t0 = Date.now();
      const detection = await measureDetection({ ...rules, offsetsS: OFFSETS_S, labels: LABELS });
      printDetection(detection, resolved.slis.errorRatio.for);
      console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    if (parts.has('quiet')) {
      const t1 = Date.now();
      const baselineANames = new Set<string>(Object.values(BASELINE_A));
      const quiet = await measureFalseAlerts({
        ...rules,
        isBaselineA: (name) => baselineANames.has(name),
        isBaselineB: (name) => name === BASELINE_B,
      });
      printFalseAlerts(quiet);
      console.log(`(${((Date.now() - t1) / 1000).toFixed(0)} s)\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (parts.has('generator')) printGenerator(measureGenerator([10, 100, 1000], 3));
}

function printDetection(results: Detection[], errorFor: string): void {
  console.log('Time to detect: first failed request -> first firing evaluation (median / worst over the offsets)');
  const rows = results.map((d) => {
    const crit = d.ours.critical.filter((x): x is number => x !== undefined);
    const base = d.baselineA.filter((x): x is number => x !== undefined);
    const ratio = crit.length && base.length ? (median(crit) / median(base)).toFixed(2) : '-';
    return [
      d.incident.name,
      d.incident.criticalOnly ? 'n/a' : medianWorst(d.ours.warning),
      medianWorst(d.ours.critical),
      d.incident.baselineA ? medianWorst(d.baselineA) : 'n/a',
      d.incident.baselineB ? medianWorst(d.baselineB) : 'n/a',
      ratio,
      d.falseBefore.length ? d.falseBefore.join(' ') : '0',
    ];
  });
  console.log(
    table(
      [
        'incident',
        'ours warning',
        'ours critical',
        '(a) 5m, for 2m',
        '(b) burn rate 99.9%',
        'ours/(a)',
        'alerts before',
      ],
      rows,
    ),
  );
  const outage = results[0];
  const crit = outage.ours.critical.filter((x): x is number => x !== undefined);
  const base = outage.baselineA.filter((x): x is number => x !== undefined);
  if (crit.length && base.length) {
    const m = median(crit);
    console.log(
      `target hard outage critical <= 60 s: median ${m} s, worst ${Math.max(...crit)} s -> ${m <= 60 ? 'met' : 'MISSED'}; ` +
        `<= half of (a) (${median(base)} s): ${m <= median(base) / 2 ? 'met' : 'MISSED'} (errorRatio for: ${errorFor})`,
    );
  }
}

const describe = (m: Map<string, { episodes: number; seconds: number }>) =>
  m.size === 0
    ? '0'
    : [...m]
        .sort()
        .map(([k, v]) => `${v.episodes}x ${k} (${v.seconds}s)`)
        .join(', ');

function printFalseAlerts(results: FalseAlerts[]): void {
  console.log('False alerts on traces without an incident (alert episodes; seconds firing); Watchdog excluded');
  console.log(
    table(
      ['trace', 'ours', '(a) 5m, for 2m', '(b) burn rate 99.9%'],
      results.map((r) => [r.trace.name, describe(r.ours), describe(r.baselineA), describe(r.baselineB)]),
    ),
  );
  const total = results.reduce((n, r) => n + [...r.ours.values()].reduce((s, v) => s + v.episodes, 0), 0);
  console.log(`target zero false alerts from ours: ${total} -> ${total === 0 ? 'met' : 'MISSED'}`);
}

function printGenerator(figures: GeneratorFigures[]): void {
  console.log('\nGenerator: providers x 10 aliases with provider and alias overrides; load + build rules and routes');
  console.log('(unit tests left out), median of 3 runs');
  console.log(
    table(
      [
        'providers',
        'aliases',
        'SLI/alert rules',
        'threshold rules',
        'rules file',
        'route',
        'load',
        'build',
        'total',
        'cpu',
      ],
      figures.map((f) => [
        String(f.providers),
        String(f.aliases),
        String(f.genericRules),
        String(f.thresholdRules),
        `${(f.rulesBytes / 1024).toFixed(0)} KiB`,
        `${(f.routeBytes / 1024).toFixed(1)} KiB`,
        `${f.loadMs.toFixed(0)} ms`,
        `${f.buildMs.toFixed(0)} ms`,
        `${(f.loadMs + f.buildMs).toFixed(0)} ms`,
        `${f.cpuMs.toFixed(0)} ms`,
      ]),
    ),
  );
  const big = figures[figures.length - 1];
  const total = big.loadMs + big.buildMs;
  console.log(
    `target ${big.providers} providers < 2 s: ${(total / 1000).toFixed(2)} s -> ${total < 2000 ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
