// SLI recording rules (DESIGN §3, §4): per deployment from the raw counters, then aggregated by summing
// the recorded rates (never averaging ratios), for both windows.
import {
  AGGREGATIONS,
  ERROR_OUTCOMES,
  EXCLUDED_OUTCOMES,
  INSTRUMENTS,
  LABELS,
  OUTCOMES,
  RATE_LIMITED_OUTCOME,
  histogramSeries,
  recordingRuleName,
  type AggregationId,
  type RecordedId,
} from '@provider-health/schema';
import type { ResolvedThresholds } from '@provider-health/schema';
import { eq, ne, noneOf, oneOf, rate, selector, sumBy, type Matcher } from './promql';
import type { RecordingRule } from './types';

const P95 = 0.95;
const REQUESTS = INSTRUMENTS.requests.prometheus;
const LATENCY_BUCKET = histogramSeries(INSTRUMENTS.latency.prometheus).bucket;
const AGGREGATES: AggregationId[] = ['region', 'alias', 'provider'];

/** Outcome matchers of the counted rates; `canceled` is in no denominator. */
const RATE_MATCHERS: Record<'attempts' | 'errors' | 'rateLimited' | 'successes', Matcher> = {
  attempts: noneOf(LABELS.outcome, EXCLUDED_OUTCOMES),
  errors: oneOf(LABELS.outcome, ERROR_OUTCOMES),
  rateLimited: eq(LABELS.outcome, RATE_LIMITED_OUTCOME),
  successes: eq(LABELS.outcome, OUTCOMES[0]),
};
const COUNTED = ['attempts', 'errors', 'rateLimited', 'successes', 'failovers'] as const;

const name = (level: AggregationId, id: RecordedId, w: string) => recordingRuleName(level, id, w);

/** The series past the instrumentation's series limit carry no deployment: they judge nobody. */
const NOT_OVERFLOW = ne(LABELS.overflow, 'true');

/** A rate that may have no series yet (no error so far) is 0 wherever the deployment has attempts. */
function zeroFilled(expr: string, w: string): string {
  return `${expr}\nor\n0 * ${name('deployment', 'attempts', w)}`;
}

function deploymentRates(w: string): RecordingRule[] {
  const by = AGGREGATIONS.deployment.by;
  const counted = (id: keyof typeof RATE_MATCHERS) =>
    sumBy(by, rate(selector(REQUESTS, [RATE_MATCHERS[id], NOT_OVERFLOW]), w));
  return [
    { record: name('deployment', 'attempts', w), expr: counted('attempts') },
    { record: name('deployment', 'errors', w), expr: zeroFilled(counted('errors'), w) },
    { record: name('deployment', 'rateLimited', w), expr: zeroFilled(counted('rateLimited'), w) },
    { record: name('deployment', 'successes', w), expr: zeroFilled(counted('successes'), w) },
    {
      record: name('deployment', 'failovers', w),
      expr: zeroFilled(sumBy(by, rate(selector(INSTRUMENTS.failovers.prometheus, [NOT_OVERFLOW]), w)), w),
    },
    {
      record: name('deployment', 'latencyBuckets', w),
      expr: sumBy([...by, 'le'], rate(selector(LATENCY_BUCKET, [RATE_MATCHERS.successes, NOT_OVERFLOW]), w)),
    },
  ];
}

function aggregatedRates(level: AggregationId, w: string): RecordingRule[] {
  const by = AGGREGATIONS[level].by;
  return [
    ...COUNTED.map((id) => ({ record: name(level, id, w), expr: sumBy(by, name('deployment', id, w)) })),
    { record: name(level, 'latencyBuckets', w), expr: sumBy([...by, 'le'], name('deployment', 'latencyBuckets', w)) },
  ];
}

/** Ratios only where there were attempts (no 0/0 = NaN); p95 only where something succeeded. */
function derived(level: AggregationId, w: string): RecordingRule[] {
  const ratio = (num: RecordedId) => `${name(level, num, w)}\n/\n(${name(level, 'attempts', w)} > 0)`;
  const buckets = name(level, 'latencyBuckets', w);
  return [
    { record: name(level, 'errorRatio', w), expr: ratio('errors') },
    { record: name(level, 'rateLimitedRatio', w), expr: ratio('rateLimited') },
    { record: name(level, 'failoverRatio', w), expr: ratio('failovers') },
    {
      record: name(level, 'latencyP95', w),
      expr: `histogram_quantile(${P95}, ${buckets})\nand\n(${name(level, 'successes', w)} > 0)`,
    },
  ];
}

export function buildRecordingRules(t: ResolvedThresholds): RecordingRule[] {
  const windows = [t.windows.fast, t.windows.slow];
  return windows.flatMap((w) => [
    ...deploymentRates(w),
    ...derived('deployment', w),
    ...AGGREGATES.flatMap((level) => [...aggregatedRates(level, w), ...derived(level, w)]),
  ]);
}
