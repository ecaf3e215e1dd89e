// What the generated rules must conclude in a steady phase: the SLI of each alert scope from the counts,
// judged with the same resolved thresholds, carried across phases for hysteresis. The promtool tests
// compare Prometheus' real evaluation of the rules with this.
import {
  LATENCY_BUCKETS_SECONDS,
  levelsFor,
  type AlertScope,
  type LevelledSliId,
  type ResolvedLevels,
  type ResolvedThresholds,
  type Severity,
} from '@provider-health/schema';
import { effectiveClear } from '../thresholds';
import type { StepCounts, Target } from './trace';

const Q = 0.95;

/** Prometheus' histogram_quantile over per-bucket counts (last index +Inf). */
export function histogramQuantile(q: number, perBucket: number[]): number | undefined {
  const cumulative: number[] = [];
  perBucket.reduce((sum, c, i) => (cumulative[i] = sum + c), 0);
  const total = cumulative[cumulative.length - 1];
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let b = cumulative.findIndex((c, i) => i < cumulative.length - 1 && c >= rank);
  if (b === -1) b = cumulative.length - 1;
  if (b === cumulative.length - 1) return LATENCY_BUCKETS_SECONDS[LATENCY_BUCKETS_SECONDS.length - 1];
  const start = b === 0 ? 0 : LATENCY_BUCKETS_SECONDS[b - 1];
  const below = b === 0 ? 0 : cumulative[b - 1];
  const inBucket = cumulative[b] - below;
  return start + (LATENCY_BUCKETS_SECONDS[b] - start) * ((rank - below) / inBucket);
}

export function latencyOf(c: StepCounts): number[] {
  const out = new Array(LATENCY_BUCKETS_SECONDS.length + 1).fill(0);
  (c.latency ?? [c.success]).forEach((n, i) => (out[i] = n));
  return out;
}

const attemptsOf = (c: StepCounts) => c.success + (c.serverError ?? 0) + (c.rateLimited ?? 0);

/** The SLI of summed counts: ratios of sums, p95 of summed buckets (never averages). */
export function sliValue(sli: LevelledSliId, counts: StepCounts[]): number | undefined {
  const sum = (f: (c: StepCounts) => number) => counts.reduce((a, c) => a + f(c), 0);
  const attempts = sum(attemptsOf);
  if (sli === 'latencyP95') {
    const buckets = counts.map(latencyOf).reduce((a, b) => a.map((x, i) => x + b[i]));
    return sum((c) => c.success) > 0 ? histogramQuantile(Q, buckets) : undefined;
  }
  if (!(attempts > 0)) return undefined;
  const bad = { errorRatio: (c: StepCounts) => c.serverError ?? 0, rateLimited: (c: StepCounts) => c.rateLimited ?? 0 };
  return sum(sli === 'failoverRate' ? (c) => c.failovers ?? 0 : bad[sli]) / attempts;
}

export interface Aggregate {
  scope: AlertScope;
  provider: string;
  key: string;
  labels: Record<string, string>;
  levels: ResolvedLevels;
}

/** Every (provider, region) and (provider, alias) the targets form, with the levels that judge it. */
export function aggregates(t: ResolvedThresholds, targets: Target[]): Aggregate[] {
  const seen = new Map<string, Aggregate>();
  for (const x of targets) {
    for (const scope of ['region', 'alias'] as const) {
      const key = scope === 'region' ? x.region : x.alias;
      const id = `${scope}/${x.provider}/${key}`;
      if (seen.has(id)) continue;
      seen.set(id, {
        scope,
        provider: x.provider,
        key,
        labels: { provider: x.provider, [scope]: key },
        levels: scope === 'region' ? levelsFor(t, x.provider) : levelsFor(t, x.provider, x.alias),
      });
    }
  }
  return [...seen.values()];
}

export function memberCounts(a: Aggregate, targets: Target[], phase: number): StepCounts[] {
  return targets
    .filter((x) => x.provider === a.provider && (a.scope === 'region' ? x.region : x.alias) === a.key)
    .map((x) => x.phases[phase])
    .filter((c): c is StepCounts => c !== null);
}

export interface Verdict {
  aggregate: Aggregate;
  severity: Severity;
  value: number;
  threshold: number;
}

/**
 * Whether an alert of this severity is firing at the end of a steady phase, given it fired before. `gate`:
 * the scope's extra condition to start firing (alias: failure spread over regions; region: a bad deployment
 * no alias alert explains); `hold`: the region's condition to keep firing.
 */
export function firing(
  sli: LevelledSliId,
  a: Aggregate,
  counts: StepCounts[],
  severity: Severity,
  before: boolean,
  scrapeSeconds: number,
  gate = true,
  hold = true,
): boolean {
  const value = sliValue(sli, counts);
  const volume = counts.reduce((s, c) => s + attemptsOf(c), 0) / scrapeSeconds;
  if (value === undefined || volume < a.levels.minVolume) return false;
  const level = a.levels[sli][severity];
  const clear = effectiveClear(a.levels[sli]);
  return (level !== undefined && value > level && value > clear && gate) || (before && value > clear && hold);
}

export interface DeploymentState {
  provider: string;
  alias: string;
  region: string;
  levels: ResolvedLevels;
  counts: StepCounts[];
}

/** Each deployment's summed counts (replicas added up) in one phase, with its alias-level thresholds. */
export function deploymentStates(t: ResolvedThresholds, targets: Target[], phase: number): DeploymentState[] {
  const byKey = new Map<string, DeploymentState>();
  for (const x of targets) {
    const c = x.phases[phase];
    if (c === null) continue;
    const key = `${x.provider}/${x.alias}/${x.region}`;
    const d = byKey.get(key) ?? {
      provider: x.provider,
      alias: x.alias,
      region: x.region,
      levels: levelsFor(t, x.provider, x.alias),
      counts: [],
    };
    d.counts.push(c);
    byKey.set(key, d);
  }
  return [...byKey.values()].filter((d) => d.counts.some((c) => attemptsOf(c) > 0));
}

/** A deployment whose SLI is above its threshold at this level (`clear` resolved as the rules do). */
export function deploymentBad(sli: LevelledSliId, d: DeploymentState, level: Severity | 'clear'): boolean {
  const value = sliValue(sli, d.counts);
  const th = level === 'clear' ? effectiveClear(d.levels[sli]) : d.levels[sli][level];
  return value !== undefined && th !== undefined && value > th;
}

/** Every value the rules compare in this phase, paired with every threshold it is compared with. */
export function comparisons(sli: LevelledSliId, a: Aggregate, counts: StepCounts[], scrapeSeconds: number) {
  const l = a.levels[sli];
  const value = sliValue(sli, counts);
  const volume = counts.reduce((s, c) => s + attemptsOf(c), 0) / scrapeSeconds;
  return [
    ...(value === undefined ? [] : [l.warning, l.critical, effectiveClear(l)].map((th) => [value, th] as const)),
    [volume, a.levels.minVolume] as const,
  ];
}
