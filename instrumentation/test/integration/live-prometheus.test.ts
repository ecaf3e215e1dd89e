// Real parts: Prometheus scrapes the package's Prometheus endpoint while the same process pushes OTLP/HTTP
// protobuf through vmagent into the same Prometheus; both paths must give the same values, and a generated
// recording rule (built from the repository's thresholds.yaml) the expected error ratio after a burst.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GENERATED_FILES,
  INSTRUMENTS,
  histogramSeries,
  recordingRuleName,
  type ResolvedThresholds,
} from '@provider-health/schema';
import { buildOutputs, loadThresholds } from '@provider-health/rules';
import {
  REPO_ROOT,
  promQuery,
  startPrometheus,
  startVmagent,
  waitFor,
  type PrometheusHandle,
  type VmagentHandle,
} from '@provider-health/testkit';
import { createProviderTelemetry, type AttemptRecord, type ProviderTelemetry } from '../../src';
import { freeLoopbackPort } from '../support/net';

const D = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const SCRAPED = '{job="router"}';
// Remote-written series carry no job label: everything that is not the scrape came through vmagent.
const PUSHED = '{job=""}';

let prom: PrometheusHandle;
let vmagent: VmagentHandle;
let telemetry: ProviderTelemetry;
let thresholds: ResolvedThresholds;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ph-live-'));
  const loaded = loadThresholds({ file: path.join(REPO_ROOT, 'rules', 'thresholds.yaml') });
  if (!loaded.ok) throw new Error(`rules/thresholds.yaml does not load: ${JSON.stringify(loaded.errors[0])}`);
  thresholds = loaded.resolved;
  const rulesFile = path.join(dir, 'provider-health.rules.yml');
  writeFileSync(rulesFile, buildOutputs(thresholds, { skipRuleTests: true })[GENERATED_FILES.rules]);
  const port = await freeLoopbackPort();
  prom = await startPrometheus({
    scrapeTargets: [{ job: 'router', targets: [`127.0.0.1:${port}`] }],
    remoteWriteReceiver: true,
    ruleFiles: [rulesFile],
  });
  vmagent = await startVmagent({ prometheusUrl: prom.url });
  telemetry = createProviderTelemetry({
    prometheus: { port, host: '127.0.0.1' },
    otlp: { url: vmagent.otlpMetricsUrl, intervalMs: 500 },
    tracing: false,
    window: { thresholds },
    deployments: [D],
    env: {},
    logger: () => {},
  });
}, 60_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await vmagent?.stop();
  await prom?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const value = async (expr: string): Promise<number | undefined> => {
  const [s] = await promQuery(prom.url, expr);
  return s === undefined ? undefined : Number(s.value[1]);
};
const record = (n: number, r: Omit<AttemptRecord, keyof typeof D>) => {
  for (let i = 0; i < n; i++) telemetry.attempt({ ...D, ...r });
};
const requests = INSTRUMENTS.requests.prometheus;
const buckets = histogramSeries(INSTRUMENTS.latency.prometheus).bucket;

describe('live Prometheus', () => {
  it('reads back names, labels, buckets and counts by scrape and by OTLP through vmagent', async () => {
    record(1, {
      outcome: 'success',
      statusCode: 200,
      latencySeconds: 0.3,
      tenant: 'acme',
      inputTokens: 10,
      outputTokens: 5,
    });
    record(1, { outcome: 'server_error', statusCode: 503, latencySeconds: 2, tenant: 'acme' });
    for (const sel of [SCRAPED, PUSHED]) {
      await waitFor(async () => (await value(`sum(${requests}${sel})`)) === 2, {
        what: `${requests}${sel} == 2`,
        timeoutMs: 20_000,
      });
    }
    for (const sel of [SCRAPED, PUSHED]) {
      const byOutcome = await promQuery(prom.url, `sum by (outcome, status_code, tenant) (${requests}${sel})`);
      expect(
        byOutcome.map((s) => [s.metric.outcome, s.metric.status_code, s.metric.tenant, s.value[1]]).sort(),
      ).toEqual([
        ['server_error', '503', 'acme', '1'],
        ['success', '200', 'acme', '1'],
      ]);
      const sel2 = sel.replace('}', ',outcome="success"}');
      expect(await value(`sum(${buckets}${sel2.replace('}', ',le="0.32"}')})`)).toBe(1);
      expect(await value(`sum(${buckets}${sel2.replace('}', ',le="0.16"}')})`)).toBe(0);
      expect(await value(`sum(${INSTRUMENTS.tokens.prometheus}${sel.replace('}', ',token_type="input"}')})`)).toBe(10);
      expect(await value(`max(${INSTRUMENTS.routable.prometheus}${sel})`)).toBe(1);
    }
  }, 60_000);

  it('gives the generated recording rule the expected error ratio after a burst of failures', async () => {
    // Both series exist (from the first test) before the burst, so rate() sees the whole burst.
    record(18, { outcome: 'success', statusCode: 200, latencySeconds: 0.3, tenant: 'acme' });
    record(20, { outcome: 'server_error', statusCode: 503, latencySeconds: 2, tenant: 'acme' });
    const rule = recordingRuleName('deployment', 'errorRatio', thresholds.windows.fast);
    const expected = 20 / 38;
    const got = await waitFor(
      async () => {
        // The rule sums both paths (scraped and pushed); the ratio is the same.
        const v = await value(`${rule}{provider="azure",alias="gpt-4o",region="eastus"}`);
        return v !== undefined && Math.abs(v - expected) < 0.01 ? v : undefined;
      },
      { what: `${rule} ≈ ${expected.toFixed(3)}`, timeoutMs: 30_000 },
    );
    expect(got).toBeCloseTo(expected, 2);
    // The in-process window judged the same burst with the same thresholds (21/40 errors, above critical).
    // It holds the deployment back, letting only a paced probe through so Prometheus keeps seeing it.
    expect(telemetry.mayRoute(D)).toMatchObject({ allow: true, probe: true });
    expect(telemetry.mayRoute(D)).toMatchObject({ allow: false, probe: false });
  }, 60_000);
});
