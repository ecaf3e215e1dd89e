// The OpenTelemetry descriptors of DESIGN §3's instruments, shared by the package's own aggregation and by
// the bare-SDK path the tests and the benchmark compare it with, so both export byte-identical metadata.
import { ValueType } from '@opentelemetry/api';
import { INSTRUMENTS, LABELS, LATENCY_BUCKETS_SECONDS, TTFT_BUCKETS_SECONDS } from '@provider-health/schema';

export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

export interface InstrumentSpec {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: InstrumentKind;
  readonly valueType: ValueType;
  readonly boundaries?: readonly number[];
  /** Attribute keys, in export order. */
  readonly labels: readonly string[];
}

const spec = (
  name: string,
  kind: InstrumentKind,
  unit: string,
  description: string,
  labels: readonly string[],
  boundaries?: readonly number[],
): InstrumentSpec => ({ name, kind, unit, description, labels, valueType: ValueType.DOUBLE, boundaries });

const { provider, alias, region, outcome, statusCode, tenant, tokenType, reason, toProvider, droppedLabel } = LABELS;
const DEPLOYMENT = [provider, alias, region] as const;

export const SPECS = {
  latency: spec(
    INSTRUMENTS.latency.otel,
    'histogram',
    's',
    'Duration of one upstream attempt, to the end of the response body.',
    [...DEPLOYMENT, outcome],
    LATENCY_BUCKETS_SECONDS,
  ),
  timeToFirstToken: spec(
    INSTRUMENTS.timeToFirstToken.otel,
    'histogram',
    's',
    'Time from sending a streamed attempt to its first content chunk.',
    DEPLOYMENT,
    TTFT_BUCKETS_SECONDS,
  ),
  requests: spec(INSTRUMENTS.requests.otel, 'counter', '', 'Upstream attempts by outcome.', [
    ...DEPLOYMENT,
    outcome,
    statusCode,
    tenant,
  ]),
  tokens: spec(INSTRUMENTS.tokens.otel, 'counter', '', 'Tokens reported by the provider, by type.', [
    ...DEPLOYMENT,
    tokenType,
    tenant,
  ]),
  retries: spec(INSTRUMENTS.retries.otel, 'counter', '', 'Retries of an upstream call, by reason.', [
    ...DEPLOYMENT,
    reason,
  ]),
  failovers: spec(INSTRUMENTS.failovers.otel, 'counter', '', 'Failovers away from a provider, by reason.', [
    provider,
    toProvider,
    alias,
    region,
    reason,
  ]),
  routable: spec(
    INSTRUMENTS.routable.otel,
    'gauge',
    '',
    '1 when the router may send to the deployment (server decision AND in-process window), else 0.',
    DEPLOYMENT,
  ),
  droppedLabels: spec(
    INSTRUMENTS.droppedLabels.otel,
    'counter',
    '',
    'Label values replaced by other or refused (secrets, e-mail addresses, beyond the tenant limit, invalid ids).',
    [droppedLabel],
  ),
} as const satisfies Record<keyof typeof INSTRUMENTS, InstrumentSpec>;

export type InstrumentId = keyof typeof SPECS;

/** The instrumentation scope every metric and span carries. */
export const SCOPE = { name: '@provider-health/instrumentation', version: '0.1.0' } as const;
