// The health-API client against the real server (server/): a critical failover alert active in
// Alertmanager disables azure in eastus at the server's start-up reconcile; the router sees it by polling.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALERTS, ALERT_LABELS, COMPONENT, INSTRUMENTS, LABELS } from '@provider-health/schema';
import { defaultConfig, startServer, type RunningServer } from '@provider-health/server';
import { createProviderTelemetry, SPECS, type ProviderTelemetry } from '../../src';
import { eventually } from '../support/eventually';
import { points, quiet } from '../support/points';
import { startStub, type StubServer } from '../support/stub-http';

const EAST = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const OPENAI = { provider: 'openai', alias: 'gpt-4o', region: 'us' };
const TOKENS = { read: 'read-token-0123456789', admin: 'admin-token-0123456789', hook: 'hook-token-0123456789' };

// Prometheus and Alertmanager as the server reads them: the topology from provider_routable, one active
// critical failover alert for azure in eastus, every other query empty.
function sources(body: Buffer, url: string) {
  if (url.startsWith('/api/v2/alerts')) {
    return [
      {
        labels: {
          alertname: ALERTS.errorRatio,
          [LABELS.provider]: 'azure',
          [LABELS.region]: 'eastus',
          [ALERT_LABELS.severity]: 'critical',
          [ALERT_LABELS.failover]: 'true',
          [ALERT_LABELS.component]: COMPONENT,
        },
        annotations: { summary: 'errors', suggested_action: 'wait' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'azure-eastus-errors',
        status: { state: 'active' },
      },
    ];
  }
  const query =
    new URLSearchParams(body.toString()).get('query') ?? new URL(url, 'http://x').searchParams.get('query') ?? '';
  const result = query.includes(INSTRUMENTS.routable.prometheus)
    ? [EAST, OPENAI].map((d) => ({ metric: d, value: [Date.now() / 1000, '1'] }))
    : [];
  return { status: 'success', data: { resultType: 'vector', result } };
}

let stub: StubServer;
let server: RunningServer;
let telemetry: ProviderTelemetry;
let dir: string;

beforeAll(async () => {
  stub = await startStub((r) => ({ status: 200, body: sources(r.body, r.url) }));
  dir = mkdtempSync(path.join(tmpdir(), 'ph-real-server-'));
  const c = defaultConfig();
  c.listen = { host: '127.0.0.1', port: 0 };
  c.tokens = { ...TOKENS };
  c.prometheus = { ...c.prometheus, url: stub.url, timeoutMs: 500, cacheTtlMs: 0 };
  c.alertmanager = { ...c.alertmanager, url: stub.url, timeoutMs: 500, cacheTtlMs: 0 };
  c.storage = { ...c.storage, path: path.join(dir, 'state.db') };
  c.logLevel = 'silent';
  server = await startServer(c, { logger: false });
  telemetry = createProviderTelemetry({
    ...quiet,
    deployments: [EAST, OPENAI],
    healthApi: { url: server.url, token: TOKENS.read, intervalMs: 100 },
  });
}, 30_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await server?.stop();
  await stub?.close();
  // SQLite may still be removing its -wal/-shm files as the server closes: retry instead of failing the suite.
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

it('follows the real server: disabled deployment gets probes only, the other stays routable', async () => {
  const verdict = await eventually(
    () => telemetry.mayRoute(EAST),
    (v) => !v.allow || v.probe,
    15_000,
  );
  expect(verdict.reason).toContain(ALERTS.errorRatio);
  expect(telemetry.mayRoute(OPENAI)).toMatchObject({ allow: true, probe: false });
  expect(telemetry.healthApiStatus()).toMatchObject({ stale: false });
  const routable = Object.fromEntries(
    (await points(telemetry, SPECS.routable.name)).map((p) => [p.attributes[LABELS.provider], p.value]),
  );
  expect(routable).toEqual({ azure: 0, openai: 1 });
}, 30_000);
