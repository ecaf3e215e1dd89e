// Step counts that put an SLI strictly inside a range of values: the incidents and the healthy traffic of
// the generated tests, chosen from the configured thresholds.
import { LATENCY_BUCKETS_SECONDS, type LevelledSliId } from '@provider-health/schema';
import { histogramQuantile, latencyOf, sliValue } from './model';
import type { StepCounts } from './trace';

/** Relative distance a value keeps from every threshold, so float rounding cannot flip a comparison. */
export const MARGIN = 0.02;

const clearOf = (v: number, lo: number, hi: number) => v > lo * (1 + MARGIN) && v < hi * (1 - MARGIN);

function ratioCounts(sli: LevelledSliId, ratio: number, n: number): StepCounts {
  const k = Math.round(ratio * n);
  if (sli === 'errorRatio') return { success: n - k, serverError: k };
  if (sli === 'rateLimited') return { success: n - k, rateLimited: k };
  return { success: n, failovers: k };
}

function latencyCandidates(n: number): StepCounts[] {
  const out: StepCounts[] = [];
  const buckets = LATENCY_BUCKETS_SECONDS.length + 1;
  for (let b = 0; b < buckets; b++) {
    for (const share of [0, 0.5, 0.3, 0.7, 0.1, 0.9]) {
      if (b === 0 && share > 0) continue;
      const latency = new Array(buckets).fill(0);
      latency[0] = Math.round(share * n);
      latency[b] += n - latency[0];
      out.push({ success: n, latency });
    }
  }
  return out;
}

/**
 * Candidates, best first, whose SLI lies strictly within (lo, hi): for ratios the middle of the range
 * and points around it (1 first when the range reaches it: a hard outage); for latency, mixtures of a
 * fast bucket and a slower one.
 */
export function profiles(sli: LevelledSliId, lo: number, hi: number, n: number): StepCounts[] {
  if (sli === 'latencyP95') {
    const inRange = latencyCandidates(n).filter((c) => clearOf(histogramQuantile(0.95, latencyOf(c)) ?? -1, lo, hi));
    const mid = (lo + Math.min(hi, LATENCY_BUCKETS_SECONDS[LATENCY_BUCKETS_SECONDS.length - 1])) / 2;
    const distance = (c: StepCounts) => Math.abs((sliValue(sli, [c]) as number) - mid);
    return inRange.sort((a, b) => distance(a) - distance(b));
  }
  const top = Math.min(hi, 1);
  // Three decimals: the average of two such values still prints exactly at Go's %.4g (no 0.29375 to round).
  const points = [0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85].map((f) => Math.round((lo + (top - lo) * f) * 1000) / 1000);
  if (hi > 1) points.unshift(1);
  return points.map((r) => ratioCounts(sli, r, n)).filter((c) => clearOf(sliValue(sli, [c]) as number, lo, hi));
}

/** Everything bad, for traffic below the volume guard; `n` may be a fraction of an attempt per step. */
export function allBad(sli: LevelledSliId, n: number): StepCounts {
  if (sli === 'latencyP95') {
    const latency = new Array(LATENCY_BUCKETS_SECONDS.length + 1).fill(0);
    latency[LATENCY_BUCKETS_SECONDS.length] = n;
    return { success: n, latency };
  }
  if (sli === 'errorRatio') return { success: 0, serverError: n };
  if (sli === 'rateLimited') return { success: 0, rateLimited: n };
  return { success: n, failovers: n };
}

/** One router replica's small share, all bad; summed with a healthy replica it stays under `clear`. */
export function badReplica(sli: LevelledSliId, healthyN: number, clear: number): StepCounts {
  const n = Math.max(1, Math.floor(healthyN * (sli === 'latencyP95' ? 0.02 : clear / 3)));
  return allBad(sli, n);
}
