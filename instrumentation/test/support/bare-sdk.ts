// The same records through the bare OpenTelemetry SDK (attributes hashed on every call): what the package's
// output must equal, and the benchmark's baseline.
import { ValueType, type Attributes, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { LABELS, TOKEN_TYPES } from '@provider-health/schema';
import { SPECS } from '../../src/descriptors';
import type { AttemptRecord } from '../../src/types';

export class BareSdkRecorder {
  private readonly latency: Histogram;
  private readonly ttft: Histogram;
  private readonly requests: Counter;
  private readonly tokens: Counter;

  constructor(meter: Meter) {
    const h = (s: typeof SPECS.latency) =>
      meter.createHistogram(s.name, {
        description: s.description,
        unit: s.unit,
        valueType: ValueType.DOUBLE,
        advice: { explicitBucketBoundaries: [...s.boundaries!] },
      });
    const c = (s: typeof SPECS.requests) => meter.createCounter(s.name, { description: s.description, unit: s.unit });
    this.latency = h(SPECS.latency);
    this.ttft = h(SPECS.timeToFirstToken);
    this.requests = c(SPECS.requests);
    this.tokens = c(SPECS.tokens);
  }

  /** Records like the package does; tenant is taken as already bounded. */
  attempt(r: AttemptRecord): void {
    const base: Attributes = { [LABELS.provider]: r.provider, [LABELS.alias]: r.alias, [LABELS.region]: r.region };
    this.latency.record(r.latencySeconds, { ...base, [LABELS.outcome]: r.outcome });
    if (r.timeToFirstTokenSeconds !== undefined) this.ttft.record(r.timeToFirstTokenSeconds, base);
    const tenant = r.tenant ?? '';
    this.requests.add(1, {
      ...base,
      [LABELS.outcome]: r.outcome,
      [LABELS.statusCode]: r.statusCode === undefined ? '' : String(r.statusCode),
      [LABELS.tenant]: tenant,
    });
    if (r.inputTokens !== undefined)
      this.tokens.add(r.inputTokens, { ...base, [LABELS.tokenType]: TOKEN_TYPES[0], [LABELS.tenant]: tenant });
    if (r.outputTokens !== undefined)
      this.tokens.add(r.outputTokens, { ...base, [LABELS.tokenType]: TOKEN_TYPES[1], [LABELS.tenant]: tenant });
  }
}
