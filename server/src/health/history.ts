// Spark-line series per deployment (`?history=1h&step=1m`) from Prometheus range queries.
import { recordingRuleName, type HealthHistory } from '@provider-health/schema';
import { deploymentKey } from '../failover/scope';
import type { PrometheusClient } from '../sources/prometheus';
import { toDeployment } from '../sources/prom-snapshot';

const SERIES = { errorRatio: 'errorRatio', latencyP95: 'latencyP95', successPerSec: 'successes' } as const;

export async function readHistory(
  client: PrometheusClient,
  window: string,
  rangeMs: number,
  stepMs: number,
  nowMs: number,
): Promise<Map<string, HealthHistory>> {
  const end = Math.floor(nowMs / stepMs) * stepMs;
  const keys = Object.keys(SERIES) as Array<keyof typeof SERIES>;
  const results = await Promise.all(
    keys.map((k) =>
      client.queryRange(
        recordingRuleName('deployment', SERIES[k], window),
        (end - rangeMs) / 1000,
        end / 1000,
        stepMs / 1000,
      ),
    ),
  );
  const out = new Map<string, HealthHistory>();
  keys.forEach((k, i) => {
    for (const series of results[i]) {
      const key = deploymentKey(toDeployment({ labels: series.labels, value: 0 }));
      const h = out.get(key) ?? { errorRatio: [], latencyP95: [], successPerSec: [] };
      h[k] = series.values;
      out.set(key, h);
    }
  });
  return out;
}
