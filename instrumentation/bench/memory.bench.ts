// Memory after 1,000,000 attempts over 100,000 tenants (both exporters on, window on): heap after GC
// before and after, and the series count, with the default series limit and tenant policy.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createProviderTelemetry, type AttemptRecord } from '@provider-health/instrumentation';
import { freeLoopbackPort } from '../test/support/net';
import { benchThresholds } from './thresholds';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const ATTEMPTS = 1_000_000;
const TENANTS = 100_000;

async function main(): Promise<void> {
  const baseline = heapMb();
  const t = createProviderTelemetry({
    otlp: { url: 'http://127.0.0.1:9/v1/metrics', intervalMs: 3_600_000 },
    prometheus: { port: await freeLoopbackPort(), host: '127.0.0.1' },
    tracing: false,
    window: { thresholds: benchThresholds() },
    env: {},
    logger: () => {},
  });
  const afterStart = heapMb();
  const providers = ['openai', 'azure', 'bedrock'];
  const r: AttemptRecord = {
    provider: 'openai',
    alias: 'gpt-4o',
    region: 'us',
    outcome: 'success',
    statusCode: 200,
    latencySeconds: 0.4,
    inputTokens: 100,
    outputTokens: 20,
  };
  const marks: string[] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    r.provider = providers[i % 3];
    r.tenant = `tenant-${i % TENANTS}`;
    r.outcome = i % 11 === 0 ? 'rate_limited' : 'success';
    r.statusCode = i % 11 === 0 ? 429 : 200;
    t.attempt(r);
    if ((i + 1) % 250_000 === 0) marks.push(`${(i + 1) / 1000}k: ${heapMb().toFixed(1)} MB`);
  }
  const { resourceMetrics } = await t.metricProducer.collect();
  const series = resourceMetrics.scopeMetrics[0].metrics.map((m) => `${m.descriptor.name}=${m.dataPoints.length}`);
  console.log(`memory, ${ATTEMPTS} attempts over ${TENANTS} tenants (heap after GC):`);
  console.log(`  before: ${baseline.toFixed(1)} MB; telemetry started: ${afterStart.toFixed(1)} MB`);
  console.log(`  after ${marks.join(', ')}`);
  console.log(
    `  growth from 250k to 1M attempts: ${(parseFloat(marks[3].split(': ')[1]) - parseFloat(marks[0].split(': ')[1])).toFixed(2)} MB`,
  );
  console.log(`  series: ${series.join(' ')}`);
  console.log(`  rss: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  await t.shutdown();
}

void main();
