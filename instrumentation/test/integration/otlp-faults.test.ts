// OTLP JSON and spans at a local HTTP endpoint; a collector that is down or answering 503 costs the caller
// nothing but a rate-limited log line: no exception, no unhandled rejection, totals intact after recovery.
import { GENAI } from '@provider-health/schema';
import { createProviderTelemetry, SPECS } from '../../src';
import { eventually } from '../support/eventually';
import { freeLoopbackPort } from '../support/net';
import { startStub, type StubServer } from '../support/stub-http';

const D = { provider: 'openai', alias: 'gpt-4o', region: 'us' };

interface OtlpJson {
  resourceMetrics?: Array<{
    scopeMetrics: Array<{ metrics: Array<{ name: string; sum?: { dataPoints: Array<{ asDouble?: number }> } }> }>;
  }>;
  resourceSpans?: Array<{
    scopeSpans: Array<{ spans: Array<{ name: string; parentSpanId?: string; attributes: Array<{ key: string }> }> }>;
  }>;
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

function requestsTotal(bodies: OtlpJson[]): number | undefined {
  const last = bodies.at(-1);
  const m = last?.resourceMetrics
    ?.flatMap((r) => r.scopeMetrics)
    .flatMap((s) => s.metrics)
    .find((x) => x.name === SPECS.requests.name);
  return m?.sum?.dataPoints.reduce((s, p) => s + (p.asDouble ?? 0), 0);
}

describe('OTLP export', () => {
  let stub: StubServer;
  afterEach(() => stub?.close());

  it('pushes OTLP JSON metrics and spans; recovers after the collector answered 503', async () => {
    let failuresLeft = 2;
    stub = await startStub((r) =>
      r.url === '/v1/metrics' && failuresLeft-- > 0 ? { status: 503 } : { status: 200, body: {} },
    );
    const logs: string[] = [];
    const t = createProviderTelemetry({
      otlp: {
        protocol: 'http/json',
        url: `${stub.url}/v1/metrics`,
        tracesUrl: `${stub.url}/v1/traces`,
        intervalMs: 300,
      },
      prometheus: false,
      env: {},
      logger: (m) => logs.push(m),
    });
    try {
      await t.withRequestSpan({ model: 'gpt-4o', tenant: 'acme' }, async () => {
        for (let i = 0; i < 40; i++) t.attempt({ ...D, outcome: 'success', statusCode: 200, latencySeconds: 0.1 });
      });
      const metrics = () =>
        stub.received
          .filter((r) => r.url === '/v1/metrics' && r.body.length > 0)
          .map((r) => JSON.parse(r.body.toString()) as OtlpJson);
      await eventually(
        () => requestsTotal(metrics().slice(2)),
        (v) => v === 40,
        15_000,
      );
      expect(stub.received.find((r) => r.url === '/v1/metrics')!.headers['content-type']).toContain('application/json');
      await t.forceFlush();
      const spans = stub.received
        .filter((r) => r.url === '/v1/traces')
        .flatMap((r) => (JSON.parse(r.body.toString()) as OtlpJson).resourceSpans ?? [])
        .flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans));
      const parent = spans.find((s) => s.name === 'chat gpt-4o')!;
      expect(parent.attributes.map((a) => a.key)).toContain(GENAI.requestModel);
      expect(spans.filter((s) => s.parentSpanId && s.name === 'attempt openai')).toHaveLength(40);
      expect(unhandled).toEqual([]);
    } finally {
      await t.shutdown();
    }
  }, 20_000);

  it('costs nothing but a rate-limited log line while the collector is down', async () => {
    const logs: string[] = [];
    const port = await freeLoopbackPort(); // nothing listens here
    const t = createProviderTelemetry({
      otlp: {
        url: `http://127.0.0.1:${port}/v1/metrics`,
        tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
        intervalMs: 50,
        timeoutMs: 50,
      },
      prometheus: false,
      env: {},
      logger: (m) => logs.push(m),
    });
    try {
      const until = Date.now() + 600;
      let n = 0;
      while (Date.now() < until) {
        expect(() => t.attempt({ ...D, outcome: 'success', statusCode: 200, latencySeconds: 0.1 })).not.toThrow();
        n++;
        if (n % 1000 === 0) await new Promise((r) => setImmediate(r));
      }
      await eventually(
        () => logs.length,
        (l) => l > 0,
      );
      expect(logs.filter((l) => l.includes('OTLP metrics export failed'))).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      await t.shutdown();
    }
  });

  it('reads OTEL_* variables: protocol, interval, service name, disabled SDK', async () => {
    stub = await startStub();
    const t = createProviderTelemetry({
      env: {
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${stub.url}/v1/metrics`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        OTEL_SERVICE_NAME: 'router-from-env',
        OTEL_TRACES_EXPORTER: 'none',
      },
      tracing: false,
      logger: () => {},
    });
    try {
      t.attempt({ ...D, outcome: 'success', statusCode: 200, latencySeconds: 0.1 });
      const first = await eventually(
        () => stub.received.find((r) => r.url === '/v1/metrics'),
        (r) => r !== undefined,
      );
      expect(first!.body.toString()).toContain('router-from-env');
    } finally {
      await t.shutdown();
    }
    const off = createProviderTelemetry({ env: { OTEL_SDK_DISABLED: 'true' }, logger: () => {} });
    off.attempt({ ...D, outcome: 'success', latencySeconds: 0.1 });
    expect((await off.metricProducer.collect()).resourceMetrics.scopeMetrics[0].metrics.length).toBeGreaterThan(0);
    await off.shutdown();
    expect(() => createProviderTelemetry({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } })).toThrow(/http\/protobuf/);
  });
});
