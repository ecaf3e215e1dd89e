// Hands the package's cumulative cells to the SDK's readers at collection time (MetricProducer), in the
// same shape the SDK itself would produce for the same records.
import { millisToHrTime } from '@opentelemetry/core';
import type { HrTime } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type MetricData,
  type MetricDescriptor,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { emptyResource } from '@opentelemetry/resources';
import { SCOPE, SPECS, type InstrumentSpec } from '../descriptors';
import type { CounterCell, HistogramCell } from './cells';
import type { Recorder } from './recorder';
import type { SeriesTable } from './series-table';

export interface GaugePoint {
  attributes: Record<string, string>;
  value: number;
}

export class RecorderProducer implements MetricProducer {
  constructor(
    private readonly recorder: Recorder,
    private readonly routable: () => GaugePoint[],
  ) {}

  async collect(): Promise<CollectionResult> {
    return {
      resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope: SCOPE, metrics: this.metrics() }] },
      errors: [],
    };
  }

  metrics(): MetricData[] {
    const now = millisToHrTime(Date.now());
    const r = this.recorder;
    const out: Array<MetricData | undefined> = [
      histogram(SPECS.latency, r.latency, now),
      histogram(SPECS.timeToFirstToken, r.ttft, now),
      sum(SPECS.requests, r.requests, now),
      sum(SPECS.tokens, r.tokens, now),
      sum(SPECS.retries, r.retries, now),
      sum(SPECS.failovers, r.failovers, now),
      gauge(SPECS.routable, this.routable(), now),
      sum(SPECS.droppedLabels, r.dropped, now),
    ];
    return out.filter((m): m is MetricData => m !== undefined);
  }
}

const descriptor = (s: InstrumentSpec): MetricDescriptor => ({
  name: s.name,
  description: s.description,
  unit: s.unit,
  valueType: s.valueType,
});

function sum(spec: InstrumentSpec, table: SeriesTable<CounterCell>, now: HrTime): MetricData | undefined {
  if (table.size === 0) return undefined;
  return {
    descriptor: descriptor(spec),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: table
      .all()
      .map((c) => ({ startTime: c.startTime, endTime: now, attributes: c.attributes, value: c.value })),
  };
}

function histogram(spec: InstrumentSpec, table: SeriesTable<HistogramCell>, now: HrTime): MetricData | undefined {
  if (table.size === 0) return undefined;
  return {
    descriptor: descriptor(spec),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: table.all().map((c) => ({
      startTime: c.startTime,
      endTime: now,
      attributes: c.attributes,
      value: {
        buckets: { boundaries: [...c.boundaries], counts: Array.from(c.counts) },
        sum: c.sum,
        count: c.count,
        min: c.min,
        max: c.max,
      },
    })),
  };
}

function gauge(spec: InstrumentSpec, points: GaugePoint[], now: HrTime): MetricData | undefined {
  if (points.length === 0) return undefined;
  return {
    descriptor: descriptor(spec),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points.map((p) => ({ startTime: now, endTime: now, attributes: p.attributes, value: p.value })),
  };
}
