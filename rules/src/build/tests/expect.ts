// Expected alerts of a scenario at the end of each steady phase, with the exact labels and annotations.
import type { LevelledSliId, ResolvedThresholds } from '@provider-health/schema';
import { SEVERITIES } from '@provider-health/schema';
import { alertLabels, annotationSpec } from '../alerts';
import { formatG, humanizeDuration, humanizePercentage } from '../humanize';
import { renderText } from '../template';
import {
  aggregates,
  comparisons,
  deploymentBad,
  deploymentStates,
  firing,
  memberCounts,
  sliValue,
  type Aggregate,
} from './model';
import type { Severity } from '@provider-health/schema';
import { MARGIN } from './profiles';
import { effectiveClear } from '../thresholds';
import type { Target } from './trace';

export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

export function expAlert(
  t: ResolvedThresholds,
  sli: Parameters<typeof annotationSpec>[1],
  level: Parameters<typeof annotationSpec>[2],
  a: Pick<Aggregate, 'scope' | 'labels'>,
  value: number,
  threshold: number,
): ExpAlert {
  const severity = level === 'warning' ? 'warning' : 'critical';
  const spec = annotationSpec(t, sli, level, a.scope);
  const annotations: Record<string, string> = {};
  for (const [k, tpl] of Object.entries(spec.templates)) {
    annotations[k] = renderText(tpl, { labels: a.labels, value, threshold });
  }
  return { exp_labels: { ...a.labels, ...alertLabels(t, sli, severity, a.scope) }, exp_annotations: annotations };
}

/**
 * Firing alerts of `sli` at the end of each phase, carrying hysteresis from one phase to the next. Alias
 * alerts first (the rules evaluate them first): a region alert only counts deployments they do not explain.
 */
export function expectedPerPhase(
  t: ResolvedThresholds,
  sli: LevelledSliId,
  targets: Target[],
  phases: number,
  scrapeSeconds: number,
): ExpAlert[][] {
  const aggs = aggregates(t, targets).sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'alias' ? -1 : 1));
  const state = new Map<string, boolean>();
  const out: ExpAlert[][] = [];
  for (let p = 0; p < phases; p++) {
    const deployments = deploymentStates(t, targets, p);
    const aliasFiring = new Set<string>();
    const alerts: ExpAlert[] = [];
    for (const a of aggs) {
      const counts = memberCounts(a, targets, p);
      const mine = deployments.filter((d) => d.provider === a.provider && d[a.scope] === a.key);
      for (const severity of SEVERITIES) {
        const id = `${a.scope}/${a.provider}/${a.key}/${severity}`;
        const unexplained = (level: Severity | 'clear') =>
          mine.some((d) => deploymentBad(sli, d, level) && !aliasFiring.has(`${d.provider}/${d.alias}`));
        const gate =
          a.scope === 'alias'
            ? mine.filter((d) => deploymentBad(sli, d, severity)).length >= 2 || mine.length === 1
            : unexplained(severity);
        const hold = a.scope === 'alias' || unexplained('clear');
        const now = firing(sli, a, counts, severity, state.get(id) ?? false, scrapeSeconds, gate, hold);
        state.set(id, now);
        if (now && a.scope === 'alias') aliasFiring.add(`${a.provider}/${a.key}`);
        if (now) alerts.push(expAlert(t, sli, severity, a, sliValue(sli, counts) as number, a.levels[sli][severity]!));
      }
    }
    out.push(alerts);
  }
  return out;
}

/** A value whose rounded text a last-bit difference in floating point could change (0.38375 -> 0.3837 or 0.3838). */
function fragileText(sli: LevelledSliId, v: number): boolean {
  const [lo, hi] = [v * (1 - 1e-9), v * (1 + 1e-9)];
  const human = sli === 'latencyP95' ? humanizeDuration : humanizePercentage;
  return [formatG, human].some((f) => f(lo) !== f(hi));
}

/** True when some value the rules compare sits so close to its threshold that rounding could decide. */
export function hasNearTie(
  t: ResolvedThresholds,
  sli: LevelledSliId,
  targets: Target[],
  phases: number,
  scrapeSeconds: number,
): boolean {
  const aggs = aggregates(t, targets);
  for (let p = 0; p < phases; p++) {
    for (const d of deploymentStates(t, targets, p)) {
      const v = sliValue(sli, d.counts);
      const l = d.levels[sli];
      for (const th of [l.warning, l.critical, effectiveClear(l)]) {
        if (v !== undefined && th !== undefined && Math.abs(v - th) <= (MARGIN / 2) * Math.abs(th)) return true;
      }
    }
    for (const a of aggs) {
      const counts = memberCounts(a, targets, p);
      for (const [v, th] of comparisons(sli, a, counts, scrapeSeconds)) {
        if (th !== undefined && Math.abs(v - th) <= (MARGIN / 2) * Math.abs(th)) return true;
      }
      const value = sliValue(sli, counts);
      if (value !== undefined && fragileText(sli, value)) return true;
    }
  }
  return false;
}
