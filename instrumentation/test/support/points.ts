// Reads what the package would export right now, straight from its MetricProducer.
import type { Attributes } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { ProviderTelemetry } from '../../src';

export interface Point<T = number> {
  attributes: Attributes;
  value: T;
}

export async function points<T = number>(t: ProviderTelemetry, name: string): Promise<Point<T>[]> {
  const { resourceMetrics } = await t.metricProducer.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value as T }));
}

/** Sum of a counter's points whose attributes include `match`. */
export async function total(t: ProviderTelemetry, name: string, match: Attributes = {}): Promise<number> {
  return (await points(t, name))
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((s, p) => s + p.value, 0);
}

export async function histograms(t: ProviderTelemetry, name: string, match: Attributes = {}): Promise<Histogram[]> {
  return (await points<Histogram>(t, name))
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .map((p) => p.value);
}

/** A telemetry with no exporters, for wrapper tests that read the producer. */
export const quiet = { otlp: false, prometheus: false, env: {}, logger: () => {} } as const;
