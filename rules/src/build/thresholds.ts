// Threshold series (DESIGN §4): one `provider_health:threshold` series per default level and per override
// that differs from what it would inherit, and the resolved thresholds per alert scope computed from them.
import {
  AGGREGATIONS,
  LABELS,
  LEVELLED_SLIS,
  THRESHOLD_SERIES,
  THRESHOLD_SLI_LABEL,
  INSTRUMENTS,
  recordingRuleName,
  resolvedThresholdName,
  type AlertScope,
  type ResolvedLevels,
  type ResolvedThresholds,
  type ThresholdLevel,
} from '@provider-health/schema';
import { eq, groupBy, maxBy, ne, num, on, selector } from './promql';
import type { RecordingRule } from './types';

/** One threshold a scope is judged by: which SLI, which level, which value. */
export interface ThresholdPoint {
  sli: string;
  level: ThresholdLevel;
  value: number | undefined;
}

/** `clear` defaults to the lowest alert level: without hysteresis an alert clears where it fired. */
export function effectiveClear(l: { warning?: number; critical: number; clear?: number }): number {
  return l.clear ?? Math.min(l.warning ?? l.critical, l.critical);
}

/** Every (sli, level) pair in a fixed order, with its value in these levels. */
export function thresholdPoints(levels: ResolvedLevels): ThresholdPoint[] {
  const points: ThresholdPoint[] = LEVELLED_SLIS.flatMap((id) => [
    { sli: THRESHOLD_SLI_LABEL[id], level: 'warning' as const, value: levels[id].warning },
    { sli: THRESHOLD_SLI_LABEL[id], level: 'critical' as const, value: levels[id].critical },
    { sli: THRESHOLD_SLI_LABEL[id], level: 'clear' as const, value: effectiveClear(levels[id]) },
  ]);
  points.push({ sli: THRESHOLD_SLI_LABEL.traffic, level: 'floor', value: levels.traffic.floor });
  points.push({ sli: THRESHOLD_SLI_LABEL.minVolume, level: 'min', value: levels.minVolume });
  return points;
}

function series(point: ThresholdPoint, scope: Record<string, string>): RecordingRule {
  return {
    record: THRESHOLD_SERIES,
    expr: `vector(${num(point.value as number)})`,
    labels: { sli: point.sli, level: point.level, ...scope },
  };
}

/** Series of `levels` that differ from `parent` (an override): what a lookup falls back to otherwise. */
function overrides(levels: ResolvedLevels, parent: ResolvedLevels, scope: Record<string, string>): RecordingRule[] {
  const inherited = thresholdPoints(parent);
  return thresholdPoints(levels)
    .filter((p, i) => p.value !== undefined && p.value !== inherited[i].value)
    .map((p) => series(p, scope));
}

const sorted = <T>(r: Record<string, T>) => Object.keys(r).sort();

export function buildThresholdSeries(t: ResolvedThresholds): RecordingRule[] {
  const rules = thresholdPoints(t.defaults)
    .filter((p) => p.value !== undefined)
    .map((p) => series(p, {}));
  for (const provider of sorted(t.providers)) {
    const p = t.providers[provider];
    rules.push(...overrides(p.levels, t.defaults, { [LABELS.provider]: provider }));
    for (const alias of sorted(p.aliases)) {
      rules.push(
        ...overrides(p.aliases[alias].levels, p.levels, { [LABELS.provider]: provider, [LABELS.alias]: alias }),
      );
    }
  }
  return rules;
}

/** Selects threshold series of one (sli, level) at one specificity: provider and alias set or not. */
function thresholdSelector(point: ThresholdPoint, provider: boolean, alias: boolean): string {
  return selector(THRESHOLD_SERIES, [
    eq('sli', point.sli),
    eq('level', point.level),
    provider ? ne(LABELS.provider, '') : eq(LABELS.provider, ''),
    alias ? ne(LABELS.alias, '') : eq(LABELS.alias, ''),
  ]);
}

/**
 * Every (provider, region) or (provider, alias) that has attempts or is known from provider_routable,
 * so a deployment whose counters vanished is still judged (traffic stopped).
 */
function scopeDomain(scope: AlertScope, slow: string): string {
  const by = AGGREGATIONS[scope].by;
  const attempts = recordingRuleName(scope, 'attempts', slow);
  return groupBy(by, `${attempts} or ${maxBy(by, INSTRUMENTS.routable.prometheus)}`);
}

/** The most specific threshold present, else the default: `or` keeps the first match per label set. */
function resolvedExpr(scope: AlertScope, point: ThresholdPoint, slow: string): string {
  const domain = scopeDomain(scope, slow);
  const pick = (keys: string[], provider: boolean, alias: boolean) =>
    `(\n  ${domain}\n  * ${on(keys)} group_left()\n  ${maxBy(keys, thresholdSelector(point, provider, alias))}\n)`;
  const branches = [
    ...(scope === 'alias' ? [pick([LABELS.provider, LABELS.alias], true, true)] : []),
    pick([LABELS.provider], true, false),
    pick([], false, false),
  ];
  return branches.join('\nor\n');
}

export function buildResolvedThresholds(t: ResolvedThresholds, scopes: readonly AlertScope[]): RecordingRule[] {
  return scopes.flatMap((scope) =>
    thresholdPoints(t.defaults).map((point) => ({
      record: resolvedThresholdName(scope),
      expr: resolvedExpr(scope, point, t.windows.slow),
      labels: { sli: point.sli, level: point.level },
    })),
  );
}
