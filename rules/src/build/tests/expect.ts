// Expected alerts of a scenario at the end of each steady phase, with the exact labels and annotations.
import type { LevelledSliId, ResolvedThresholds } from '@provider-health/schema';
import { SEVERITIES } from '@provider-health/schema';
import { alertLabels, annotationSpec } from '../alerts';
import { formatG, humanizeDuration, humanizePercentage } from '../humanize';
import { renderText } from '../template';
import { aggregates, comparisons, firing, memberCounts, sliValue, type Aggregate } from './model';
import { MARGIN } from './profiles';
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

/** Firing alerts of `sli` at the end of each phase, carrying hysteresis from one phase to the next. */
export function expectedPerPhase(
  t: ResolvedThresholds,
  sli: LevelledSliId,
  targets: Target[],
  phases: number,
  scrapeSeconds: number,
): ExpAlert[][] {
  const aggs = aggregates(t, targets);
  const state = new Map<string, boolean>();
  const out: ExpAlert[][] = [];
  for (let p = 0; p < phases; p++) {
    const alerts: ExpAlert[] = [];
    for (const a of aggs) {
      const counts = memberCounts(a, targets, p);
      for (const severity of SEVERITIES) {
        const id = `${a.scope}/${a.provider}/${a.key}/${severity}`;
        const now = firing(sli, a, counts, severity, state.get(id) ?? false, scrapeSeconds);
        state.set(id, now);
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
