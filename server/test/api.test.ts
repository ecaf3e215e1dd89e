import { API_PATHS, ALERTS, THRESHOLD_SERIES, recordingRuleName, type HealthResponse } from '@provider-health/schema';
import { TOPOLOGY_QUERY } from '../src/sources/prom-snapshot';
import { startServer, type RunningServer } from '../src/start';
import { alert, payload, resolved } from './fixtures/alerts';
import { bearer, testConfig } from './fixtures/config';
import { startFakeSources, type FakeSources } from './fixtures/fake-sources';
import { client, type RequestSpec } from './fixtures/http';

let sources: FakeSources;
let server: RunningServer;

const deployment = (provider: string, region: string, alias: string) => ({
  labels: { provider, region, alias },
  value: 1,
});

beforeAll(async () => {
  sources = await startFakeSources();
  sources.series.set(TOPOLOGY_QUERY, [
    deployment('azure', 'eastus', 'gpt-4o'),
    deployment('azure', 'westeu', 'gpt-4o'),
    deployment('openai', '', 'gpt-4o'),
  ]);
  sources.series.set(THRESHOLD_SERIES, [
    { labels: { sli: 'error_ratio', level: 'critical', provider: '', alias: '' }, value: 0.2 },
    { labels: { sli: 'error_ratio', level: 'warning', provider: '', alias: '' }, value: 0.05 },
    { labels: { sli: 'error_ratio', level: 'critical', provider: 'azure', alias: '' }, value: 0.1 },
    { labels: { sli: 'min_volume', level: 'min', provider: '', alias: '' }, value: 0.2 },
  ]);
  sources.series.set(recordingRuleName('deployment', 'attempts', '1m'), [
    { labels: { provider: 'azure', region: 'westeu', alias: 'gpt-4o' }, value: 3 },
    { labels: { provider: 'openai', region: '', alias: 'gpt-4o' }, value: 0.01 },
  ]);
  sources.series.set(recordingRuleName('deployment', 'errorRatio', '1m'), [
    { labels: { provider: 'azure', region: 'westeu', alias: 'gpt-4o' }, value: 0.01 },
  ]);
  server = await startServer(testConfig(sources.url), { logger: false });
});
afterAll(async () => {
  await server?.stop();
  await sources?.close();
});

const inject = (r: RequestSpec) => client(server.url)(r);
const auditCount = async () =>
  (await inject({ method: 'GET', url: API_PATHS.audit, headers: bearer('admin') })).json().rows.length as number;

describe('auth', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    expect((await inject({ method: 'GET', url: API_PATHS.health })).statusCode).toBe(401);
    const wrong = await inject({ method: 'GET', url: API_PATHS.health, headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect((await inject({ method: 'POST', url: API_PATHS.hook, payload: payload([]) })).statusCode).toBe(401);
  });

  it('answers 403 to a read token on the hook and the admin API', async () => {
    const hook = await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('read'), payload: payload([]) });
    expect(hook.statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: API_PATHS.audit, headers: bearer('read') })).statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: API_PATHS.health, headers: bearer('hook') })).statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: API_PATHS.health, headers: bearer('read') })).statusCode).toBe(200);
  });
});

describe('webhook input', () => {
  it('answers 413 to an oversized body', async () => {
    const big = payload([alert({ provider: 'azure', region: 'eastus' })]);
    (big as Record<string, unknown>).padding = 'x'.repeat(2 * 1024 * 1024);
    const r = await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: big });
    expect(r.statusCode).toBe(413);
  });

  it('answers 400 to malformed JSON or a wrong shape and records nothing', async () => {
    const before = await auditCount();
    const headers = { ...bearer('hook'), 'content-type': 'application/json' };
    expect((await inject({ method: 'POST', url: API_PATHS.hook, headers, payload: '{"alerts": [' })).statusCode).toBe(
      400,
    );
    const wrong = { alerts: [{ status: 'firing', labels: { provider: 'azure' } }] };
    const r = await inject({ method: 'POST', url: API_PATHS.hook, headers, payload: JSON.stringify(wrong) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/alerts\[0\]: fingerprint/);
    expect(await auditCount()).toBe(before);
  });
});

describe('webhook and failover API', () => {
  it('acts on a failover alert, marks the duplicate, and the health API shows the decision', async () => {
    const a = alert({ provider: 'azure', region: 'eastus' });
    const first = await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([a]) });
    expect(first.json().marks).toEqual([{ fingerprint: a.fingerprint, mark: 'acted' }]);
    const again = await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([a]) });
    expect(again.json().marks[0].mark).toBe('duplicate');
    const health = (
      await inject({ method: 'GET', url: API_PATHS.health, headers: bearer('read') })
    ).json() as HealthResponse;
    const azure = health.providers.find((p) => p.provider === 'azure')!;
    const east = azure.deployments.find((d) => d.region === 'eastus')!;
    expect(east).toMatchObject({
      status: 'down',
      routable: false,
      decision: { state: 'disabled', alert: ALERTS.errorRatio },
    });
    const west = azure.deployments.find((d) => d.region === 'westeu')!;
    expect(west).toMatchObject({ status: 'healthy', routable: true });
    expect(west.slis.errorRatio).toEqual({ value: 0.01, warning: 0.05, critical: 0.1 });
    const openai = health.providers.find((p) => p.provider === 'openai')!;
    expect(openai.status).toBe('no_traffic');
    const audit = (
      await inject({
        method: 'GET',
        url: `${API_PATHS.audit}?provider=azure&kind=notification`,
        headers: bearer('admin'),
      })
    ).json();
    expect(audit.rows.map((r: { mark: string }) => r.mark)).toEqual(['duplicate', 'acted']);
    await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([resolved(a)]) });
  });

  it('filters the health API by provider', async () => {
    const r = (
      await inject({ method: 'GET', url: `${API_PATHS.health}?provider=openai`, headers: bearer('read') })
    ).json();
    expect(r.providers.map((p: { provider: string }) => p.provider)).toEqual(['openai']);
  });

  it('reconciles against Alertmanager when a payload was truncated', async () => {
    const missed = alert({ provider: 'openai', fingerprint: 'missed-1' });
    sources.alerts = [missed];
    const r = await inject({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([], 1) });
    expect(r.json().reconcile).toBe(true);
    await server.service.reconcile();
    const failover = (await inject({ method: 'GET', url: API_PATHS.failover, headers: bearer('admin') })).json();
    expect(failover.decisions.map((d: { scope: unknown }) => d.scope)).toContainEqual({ provider: 'openai' });
    sources.alerts = [];
  });

  it('pins and dry-run through the overrides API, audited with the role', async () => {
    const headers = bearer('admin');
    const pin = { scope: { provider: 'openai' }, pin: 'routable', reason: 'operator knows better' };
    expect((await inject({ method: 'POST', url: API_PATHS.overrides, headers, payload: pin })).statusCode).toBe(200);
    let failover = (await inject({ method: 'GET', url: API_PATHS.failover, headers })).json();
    expect(failover.deployments.find((d: { provider: string }) => d.provider === 'openai').routable).toBe(true);
    await inject({
      method: 'POST',
      url: API_PATHS.overrides,
      headers,
      payload: { scope: { provider: 'openai' }, pin: null, dryRun: true },
    });
    failover = (await inject({ method: 'GET', url: API_PATHS.failover, headers })).json();
    expect(failover.dryRun).toBe(true);
    expect(failover.overrides).toEqual([]);
    const rows = (await inject({ method: 'GET', url: `${API_PATHS.audit}?kind=override`, headers })).json().rows;
    expect(rows[0]).toMatchObject({ role: 'admin' });
    await inject({ method: 'POST', url: API_PATHS.overrides, headers, payload: { dryRun: false } });
    const bad = await inject({
      method: 'POST',
      url: API_PATHS.overrides,
      headers,
      payload: { scope: { provider: 'Bad Id' }, pin: 'routable' },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('sources unreadable', () => {
  it('reports unknown with the reason within the timeout when Prometheus does not answer', async () => {
    sources.delayMs = 2000;
    try {
      const r = await inject({ method: 'GET', url: API_PATHS.health, headers: bearer('read') });
      const body = r.json() as HealthResponse;
      expect(body.source.prometheus).toBe('timeout');
      expect(body.source.reason).toMatch(/did not answer within 500 ms/);
      const west = body.providers.find((p) => p.provider === 'azure')!.deployments.find((d) => d.region === 'westeu')!;
      expect(west.status).toBe('unknown');
    } finally {
      sources.delayMs = 0;
    }
  });
});

describe('operations endpoints', () => {
  it('serves healthz, readyz and metrics with notification counts', async () => {
    expect((await inject({ method: 'GET', url: API_PATHS.healthz })).statusCode).toBe(200);
    const ready = await inject({ method: 'GET', url: API_PATHS.readyz });
    expect(ready.json()).toMatchObject({
      ready: true,
      db: 'ok',
      lastReconcile: { ok: true, attemptAt: expect.any(String) },
    });
    const metrics = (await inject({ method: 'GET', url: API_PATHS.metrics })).body;
    expect(metrics).toMatch(/provider_health_server_notifications_total\{mark="acted"\} [1-9]/);
    expect(metrics).toMatch(/provider_health_server_notifications_total\{mark="duplicate"\} [1-9]/);
  });
});
