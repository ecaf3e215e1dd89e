// ns per attempt: this package vs the bare SDK vs prom-client doing the same records (1 histogram record +
// 3 counter adds, 4-6 attributes), both exporters on, steady state (tenants already seen), in one run.
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { Counter, Histogram, Registry } from 'prom-client';
import { INSTRUMENTS, LABELS, LATENCY_BUCKETS_SECONDS, TOKEN_TYPES } from '@provider-health/schema';
import { createProviderTelemetry, SCOPE, type AttemptRecord } from '@provider-health/instrumentation';
import { BareSdkRecorder } from '../test/support/bare-sdk';
import { freeLoopbackPort } from '../test/support/net';
import { benchThresholds } from './thresholds';

// The package runs from its compiled dist (as a router would use it). The baselines are ~100x slower, so
// they get fewer attempts per round; ns per attempt stays comparable.
const N = Number(process.env.BENCH_ATTEMPTS ?? 1_000_000);
const N_BASELINE = Number(process.env.BENCH_BASELINE_ATTEMPTS ?? 50_000);
const ROUNDS = 5;

function records(n: number): AttemptRecord[] {
  const outcomes = ['success', 'success', 'success', 'success', 'rate_limited', 'server_error'] as const;
  return Array.from({ length: n }, (_, i) => {
    const outcome = outcomes[i % outcomes.length];
    return {
      provider: ['openai', 'azure', 'bedrock'][i % 3],
      alias: ['gpt-4o', 'gpt-4o-mini'][i % 2],
      region: ['us', 'eastus', 'us-east-1'][i % 3],
      outcome,
      statusCode: outcome === 'success' ? 200 : outcome === 'rate_limited' ? 429 : 503,
      latencySeconds: (i % 97) / 40,
      inputTokens: 100 + (i % 7),
      outputTokens: 20 + (i % 5),
      tenant: `tenant-${i % 50}`,
    };
  });
}

function measure(name: string, n: number, rs: AttemptRecord[], fn: (r: AttemptRecord) => void): number {
  for (let i = 0; i < 50_000; i++) fn(rs[i % rs.length]); // warm-up: every label tuple seen, JIT hot
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(rs[i % rs.length]);
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(ROUNDS / 2)];
  console.log(`${name.padEnd(34)} ${median.toFixed(0).padStart(6)} ns/attempt (median of ${ROUNDS} x ${n})`);
  return median;
}

function promClient(): (r: AttemptRecord) => void {
  const registers = [new Registry()];
  const base = [LABELS.provider, LABELS.alias, LABELS.region];
  const latency = new Histogram({
    name: INSTRUMENTS.latency.prometheus,
    help: 'latency',
    labelNames: [...base, LABELS.outcome],
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers,
  });
  const requests = new Counter({
    name: INSTRUMENTS.requests.prometheus,
    help: 'requests',
    labelNames: [...base, LABELS.outcome, LABELS.statusCode, LABELS.tenant],
    registers,
  });
  const tokens = new Counter({
    name: INSTRUMENTS.tokens.prometheus,
    help: 'tokens',
    labelNames: [...base, LABELS.tokenType, LABELS.tenant],
    registers,
  });
  return (r) => {
    const b = { provider: r.provider, alias: r.alias, region: r.region };
    latency.observe({ ...b, outcome: r.outcome }, r.latencySeconds);
    requests.inc({ ...b, outcome: r.outcome, status_code: String(r.statusCode ?? ''), tenant: r.tenant! }, 1);
    tokens.inc({ ...b, token_type: TOKEN_TYPES[0], tenant: r.tenant! }, r.inputTokens!);
    tokens.inc({ ...b, token_type: TOKEN_TYPES[1], tenant: r.tenant! }, r.outputTokens!);
  };
}

async function main(): Promise<void> {
  const rs = records(6 * 50 * 7);
  // Nothing listens on the OTLP URL; the long interval keeps exports out of the timed loops.
  const otlp = { url: 'http://127.0.0.1:9/v1/metrics', intervalMs: 3_600_000 };
  const telemetry = createProviderTelemetry({
    otlp,
    tracing: false,
    prometheus: { port: await freeLoopbackPort(), host: '127.0.0.1' },
    window: { thresholds: benchThresholds() },
    tenants: { maxTenants: 100 },
    env: {},
    logger: () => {},
  });
  const bareProvider = new MeterProvider({
    readers: [
      new PrometheusExporter({ port: await freeLoopbackPort(), host: '127.0.0.1' }),
      new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(otlp), exportIntervalMillis: 3_600_000 }),
    ],
  });
  const bare = new BareSdkRecorder(bareProvider.getMeter(SCOPE.name, SCOPE.version));
  console.log(`node ${process.version}; 1 histogram record + 3 counter adds per attempt, both exporters on`);
  const ours = measure('@provider-health/instrumentation', N, rs, (r) => telemetry.attempt(r));
  const sdk = measure('bare OpenTelemetry SDK (2 readers)', N_BASELINE, rs, (r) => bare.attempt(r));
  const prom = measure('prom-client (no cached children)', N_BASELINE, rs, promClient());
  console.log(`ratio bare SDK / package:   ${(sdk / ours).toFixed(1)}x`);
  console.log(`ratio prom-client / package: ${(prom / ours).toFixed(1)}x`);
  console.log(`target <= 1000 ns/attempt: ${ours <= 1000 ? 'met' : 'NOT met'}`);
  await telemetry.shutdown();
  await bareProvider.shutdown();
}

void main();
