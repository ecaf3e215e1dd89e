// Everything the health API reads from Prometheus in one round of parallel queries: the topology
// (`provider_routable`), the recorded SLIs per deployment, and the threshold series.
import {
  INSTRUMENTS,
  LABELS,
  THRESHOLD_SERIES,
  recordingRuleName,
  type Deployment,
  type RecordedId,
} from '@provider-health/schema';
import { deploymentKey } from '../failover/scope';
import type { PrometheusClient, Sample } from './prometheus';
import { ThresholdsView } from './thresholds-view';

export const SNAPSHOT_SLIS = {
  errorRatio: 'errorRatio',
  latencyP95: 'latencyP95',
  rateLimited: 'rateLimitedRatio',
  failoverRate: 'failoverRatio',
  attemptsPerSec: 'attempts',
  successPerSec: 'successes',
} as const satisfies Record<string, RecordedId>;
export type SnapshotSli = keyof typeof SNAPSHOT_SLIS;

export interface PromSnapshot {
  topology: Deployment[];
  slis: Map<string, Partial<Record<SnapshotSli, number>>>;
  thresholds: ThresholdsView;
}

const BY = [LABELS.provider, LABELS.alias, LABELS.region].join(', ');
export const TOPOLOGY_QUERY = `max by (${BY}) (${INSTRUMENTS.routable.prometheus})`;

export async function readPromSnapshot(client: PrometheusClient, window: string): Promise<PromSnapshot> {
  const names = Object.keys(SNAPSHOT_SLIS) as SnapshotSli[];
  const [topology, thresholds, ...sliResults] = await Promise.all([
    client.query(TOPOLOGY_QUERY),
    client.query(THRESHOLD_SERIES),
    ...names.map((n) => client.query(recordingRuleName('deployment', SNAPSHOT_SLIS[n], window))),
  ]);
  const slis = new Map<string, Partial<Record<SnapshotSli, number>>>();
  names.forEach((n, i) => {
    for (const s of sliResults[i]) {
      const k = deploymentKey(toDeployment(s));
      const entry = slis.get(k) ?? {};
      if (Number.isFinite(s.value)) entry[n] = s.value;
      slis.set(k, entry);
    }
  });
  return { topology: topology.map(toDeployment), slis, thresholds: new ThresholdsView(thresholds) };
}

export const toDeployment = (s: Sample): Deployment => ({
  provider: s.labels[LABELS.provider] ?? '',
  region: s.labels[LABELS.region] ?? '',
  alias: s.labels[LABELS.alias] ?? '',
});
