// The package's own aggregation must export exactly what the bare SDK exports for the same records: both are
// served by the SDK's Prometheus exporter on loopback and scraped over HTTP.
import {
  MeterProvider,
  InMemoryMetricExporter,
  AggregationTemporality,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { LABELS } from '@provider-health/schema';
import { createProviderTelemetry, SCOPE, SPECS } from '../../src';
import { BareSdkRecorder } from '../support/bare-sdk';
import { scriptedAttempts } from '../support/attempts';
import { freeLoopbackPort } from '../support/net';

// Key order as the package merges them: its generated instance id first, then the caller's attributes.
const RESOURCE = { 'service.instance.id': 'replica-1', 'service.name': 'router-under-test' };

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

describe('package aggregation vs bare SDK', () => {
  it('serves the same Prometheus text for the same attempts', async () => {
    const attempts = scriptedAttempts(500);
    const [portA, portB] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const telemetry = createProviderTelemetry({
      otlp: false,
      tracing: false,
      prometheus: { port: portA, host: '127.0.0.1' },
      resourceAttributes: RESOURCE,
      env: {},
    });
    const bareExporter = new PrometheusExporter({ port: portB, host: '127.0.0.1' });
    const bare = new MeterProvider({
      resource: defaultResource().merge(resourceFromAttributes(RESOURCE)),
      readers: [bareExporter],
    });
    try {
      const meter = bare.getMeter(SCOPE.name, SCOPE.version);
      const sdk = new BareSdkRecorder(meter);
      const deployments = new Map<string, Record<string, string>>();
      meter
        .createObservableGauge(SPECS.routable.name, { description: SPECS.routable.description })
        .addCallback((obs) => deployments.forEach((attrs) => obs.observe(1, attrs)));
      for (const a of attempts) {
        telemetry.attempt(a);
        sdk.attempt(a);
        const attrs = { [LABELS.provider]: a.provider, [LABELS.alias]: a.alias, [LABELS.region]: a.region };
        deployments.set(JSON.stringify(attrs), attrs);
      }
      const [ours, theirs] = [await scrape(portA), await scrape(portB)];
      expect(ours).toContain('provider_latency_seconds_bucket{');
      expect(ours).toContain('provider_requests_total{');
      expect(ours).toContain('provider_routable{');
      expect(ours).toBe(theirs);
    } finally {
      await telemetry.shutdown();
      await bare.shutdown();
    }
  });

  it('hands OTLP readers the same data points as the SDK', async () => {
    const attempts = scriptedAttempts(200);
    const mk = () => new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const [oursExp, theirsExp] = [mk(), mk()];
    const reader = (e: InMemoryMetricExporter, producers = {}) =>
      new PeriodicExportingMetricReader({ exporter: e, exportIntervalMillis: 3_600_000, ...producers });
    const telemetry = createProviderTelemetry({
      otlp: false,
      tracing: false,
      env: {},
      metricReaders: (producer) => [reader(oursExp, { metricProducers: [producer] })],
    });
    const bare = new MeterProvider({ readers: [reader(theirsExp)] });
    try {
      const sdk = new BareSdkRecorder(bare.getMeter(SCOPE.name, SCOPE.version));
      for (const a of attempts) {
        telemetry.attempt(a);
        sdk.attempt(a);
      }
      await telemetry.forceFlush();
      await bare.forceFlush();
      const points = (e: InMemoryMetricExporter) =>
        e
          .getMetrics()
          .flatMap((rm) => rm.scopeMetrics)
          .flatMap((sm) => sm.metrics)
          .filter((m) => m.descriptor.name !== SPECS.routable.name)
          .map((m) => ({
            name: m.descriptor.name,
            unit: m.descriptor.unit,
            type: m.dataPointType,
            temporality: m.aggregationTemporality,
            points: m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
          }));
      const ours = points(oursExp);
      expect(ours.map((m) => m.name)).toEqual([
        SPECS.latency.name,
        SPECS.timeToFirstToken.name,
        SPECS.requests.name,
        SPECS.tokens.name,
      ]);
      expect(ours).toEqual(points(theirsExp));
      // The label lists documented in the README (SPECS.labels) are the ones exported.
      const specs = Object.values(SPECS);
      for (const m of ours) {
        const spec = specs.find((s) => s.name === m.name)!;
        for (const p of m.points) expect(Object.keys(p.attributes)).toEqual(spec.labels);
      }
    } finally {
      await telemetry.shutdown();
      await bare.shutdown();
    }
  });
});
