// Synthetic router telemetry for promtool: deployments with per-step counts over a shared timeline of
// phases, rendered as input_series in promtool's expanding notation.
import {
  INSTRUMENTS,
  LABELS,
  LATENCY_BUCKETS_SECONDS,
  histogramSeries,
  type AliasId,
  type ProviderId,
  type RegionId,
} from '@provider-health/schema';

/** What one router instance counts for one deployment in one scrape interval. */
export interface StepCounts {
  success: number;
  serverError?: number;
  rateLimited?: number;
  failovers?: number;
  /** Successes per latency bucket: index i is (bucket i-1, bucket i], the last index is +Inf. Sums to success. */
  latency?: number[];
}

export interface Target {
  provider: ProviderId;
  alias: AliasId;
  region: RegionId;
  instance: string;
  /** Counts per phase; null: the series are not scraped at all in that phase. */
  phases: (StepCounts | null)[];
  /** provider_routable per phase (1 when left out). */
  routable?: number[];
  /** Steps whose scrape is missed. */
  missed?: number[];
  /** Step at which the router restarted: its counters start again from zero. */
  resetAt?: number;
}

export interface Timeline {
  /** Steps per phase; step 0 is the start, phase p covers the steps after the previous phase. */
  phaseSteps: number[];
}

export interface InputSeries {
  series: string;
  values: string;
}

const totalSteps = (tl: Timeline) => tl.phaseSteps.reduce((a, b) => a + b, 0);

/** Phase index of each step 1..n; step 0 takes phase 0. */
function phaseOfStep(tl: Timeline): number[] {
  const out = [0];
  tl.phaseSteps.forEach((n, p) => {
    for (let i = 0; i < n; i++) out.push(p);
  });
  return out;
}

/** Cumulative counter values per step (null where not scraped), or undefined when it never counts. */
function counterValues(
  target: Target,
  tl: Timeline,
  inc: (c: StepCounts) => number,
  always = false,
): (number | null)[] | undefined {
  const phases = phaseOfStep(tl);
  if (!always && !target.phases.some((c) => c !== null && inc(c) > 0)) return undefined;
  let value = 0;
  return phases.map((p, step) => {
    const counts = target.phases[p];
    if (counts === null) return null;
    if (step === target.resetAt) value = 0;
    if (step > 0) value += inc(counts);
    return target.missed?.includes(step) ? null : value;
  });
}

/** promtool notation: runs of equal increments as `start+incxN`, missing samples as `_`. */
export function notation(values: (number | null)[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    if (v === null) {
      out.push('_');
      i++;
      continue;
    }
    let j = i + 1;
    const diff = j < values.length && values[j] !== null ? (values[j] as number) - v : 0;
    while (j < values.length && values[j] !== null && (values[j] as number) - (values[j - 1] as number) === diff) j++;
    if (j - i === 1) out.push(num(v));
    else out.push(`${num(v)}${diff >= 0 ? '+' : '-'}${num(Math.abs(diff))}x${j - i - 1}`);
    i = j;
  }
  return out.join(' ');
}

const num = (n: number) => String(Number(n.toFixed(6)));

function seriesName(metric: string, labels: Record<string, string>): string {
  const inside = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${metric}{${inside}}`;
}

function targetLabels(t: Target): Record<string, string> {
  return { [LABELS.provider]: t.provider, [LABELS.alias]: t.alias, [LABELS.region]: t.region, instance: t.instance };
}

const OUTCOME_COUNTS: [string, (c: StepCounts) => number][] = [
  ['success', (c) => c.success],
  ['server_error', (c) => c.serverError ?? 0],
  ['rate_limited', (c) => c.rateLimited ?? 0],
];

function bucketLabel(i: number): string {
  return i < LATENCY_BUCKETS_SECONDS.length ? String(LATENCY_BUCKETS_SECONDS[i]) : '+Inf';
}

function targetSeries(t: Target, tl: Timeline): InputSeries[] {
  const base = targetLabels(t);
  const out: InputSeries[] = [];
  const push = (metric: string, labels: Record<string, string>, values: (number | null)[] | undefined) => {
    if (values) out.push({ series: seriesName(metric, labels), values: notation(values) });
  };
  for (const [outcome, inc] of OUTCOME_COUNTS) {
    push(INSTRUMENTS.requests.prometheus, { ...base, [LABELS.outcome]: outcome }, counterValues(t, tl, inc));
  }
  push(
    INSTRUMENTS.failovers.prometheus,
    { ...base, [LABELS.toProvider]: 'elsewhere', [LABELS.reason]: 'server_error' },
    counterValues(t, tl, (c) => c.failovers ?? 0),
  );
  if (t.phases.some((c) => c?.latency)) {
    const bucket = histogramSeries(INSTRUMENTS.latency.prometheus).bucket;
    for (let i = 0; i <= LATENCY_BUCKETS_SECONDS.length; i++) {
      const inc = (c: StepCounts) => (c.latency ?? [c.success]).slice(0, i + 1).reduce((a, b) => a + b, 0);
      push(bucket, { ...base, [LABELS.outcome]: 'success', le: bucketLabel(i) }, counterValues(t, tl, inc, true));
    }
  }
  const routable = phaseOfStep(tl).map((p) => t.routable?.[p] ?? 1);
  push(INSTRUMENTS.routable.prometheus, base, routable);
  return out;
}

export function inputSeries(targets: Target[], tl: Timeline): InputSeries[] {
  for (const t of targets) {
    if (t.phases.length !== tl.phaseSteps.length) throw new Error('a target needs counts for every phase');
  }
  return targets.flatMap((t) => targetSeries(t, tl));
}

export { totalSteps };
