// Cumulative data points updated in place on the hot path. A cell owns the attribute object it is
// exported with, created once when the label tuple is first seen.
import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';

export class CounterCell {
  value = 0;
  readonly startTime: HrTime = millisToHrTime(Date.now());
  constructor(readonly attributes: Attributes) {}
}

export class HistogramCell {
  /** counts[i] is the count of values <= boundaries[i] and > boundaries[i-1]; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  readonly startTime: HrTime = millisToHrTime(Date.now());

  constructor(
    readonly attributes: Attributes,
    readonly boundaries: readonly number[],
  ) {
    this.counts = new Float64Array(boundaries.length + 1);
  }

  record(value: number): void {
    this.counts[bucketIndex(this.boundaries, value)]++;
    this.sum += value;
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

/** Index of the bucket holding value: the first boundary >= value (upper bounds inclusive, as the SDK). */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
