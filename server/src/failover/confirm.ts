// Confirms from Prometheus that a disabled scope recovered: for each SLI of its alerts the recorded
// value is under `clear` (or `warning`, or `critical`, the first level set) while probe traffic is at
// least the minimum volume. Anything unreadable or missing is "not confirmed": the scope stays disabled.
import {
  ALERTS,
  THRESHOLD_SERIES,
  SLI_RECORDED,
  recordingRuleName,
  type LevelledSliId,
  type SliId,
} from '@provider-health/schema';
import { matcher, type PrometheusClient } from '../sources/prometheus';
import { ThresholdsView } from '../sources/thresholds-view';
import type { DecisionRecord } from './types';

export interface Confirmation {
  confirmed: boolean;
  evidence: Record<string, unknown>;
}

const SLI_BY_ALERT = new Map<string, SliId>(Object.entries(ALERTS).map(([sli, name]) => [name, sli as SliId]));

export async function confirmRecovery(
  client: PrometheusClient,
  d: DecisionRecord,
  window: string,
): Promise<Confirmation> {
  const level = d.scope.alias !== undefined ? 'alias' : 'region';
  const labels: Record<string, string> =
    level === 'alias'
      ? { provider: d.scope.provider, alias: d.scope.alias! }
      : { provider: d.scope.provider, region: d.scope.region ?? '' };
  const thresholdAlias = level === 'alias' ? d.scope.alias : undefined;
  try {
    const [thresholdSamples, attempts] = await Promise.all([
      client.query(THRESHOLD_SERIES),
      client.query(recordingRuleName(level, 'attempts', window) + matcher(labels)),
    ]);
    const thresholds = new ThresholdsView(thresholdSamples);
    const minVolume = thresholds.minVolume(d.scope.provider, thresholdAlias);
    const volume = attempts[0]?.value;
    const evidence: Record<string, unknown> = { window, attemptsPerSec: volume ?? null, minVolume: minVolume ?? null };
    if (minVolume === undefined || volume === undefined || !(volume >= minVolume) || volume <= 0) {
      return { confirmed: false, evidence: { ...evidence, why: 'probe volume below the minimum volume or unknown' } };
    }
    for (const sli of slisOf(d)) {
      const series = recordingRuleName(level, SLI_RECORDED[sli], window) + matcher(labels);
      const value = (await client.query(series))[0]?.value;
      const clear = ['clear', 'warning', 'critical']
        .map((l) => thresholds.level(sli, l, d.scope.provider, thresholdAlias))
        .find((v) => v !== undefined);
      evidence[sli] = { value: value ?? null, clear: clear ?? null };
      if (value === undefined || clear === undefined || !Number.isFinite(value) || value >= clear) {
        return { confirmed: false, evidence: { ...evidence, why: `${sli} not confirmed under clear` } };
      }
    }
    return { confirmed: true, evidence };
  } catch (error) {
    return { confirmed: false, evidence: { why: `Prometheus unreadable: ${(error as Error).message}` } };
  }
}

/** The levelled SLIs a decision's alerts were about. */
function slisOf(d: DecisionRecord): LevelledSliId[] {
  const out = new Set<LevelledSliId>();
  for (const a of Object.values(d.alerts)) {
    const sli = SLI_BY_ALERT.get(a.alertname);
    if (sli && sli !== 'traffic') out.add(sli);
  }
  return [...out];
}
