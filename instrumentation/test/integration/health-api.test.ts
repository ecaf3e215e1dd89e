// The health-API client against a stub serving DESIGN §5's response shape: decisions by scope, probe pacing,
// last known decisions kept while the API is unreachable, and provider_routable = server AND window.
import { API_PATHS, LABELS, type Decision, type HealthResponse } from '@provider-health/schema';
import { createProviderTelemetry, SPECS, type ProviderTelemetry } from '../../src';
import { benchThresholds } from '../../bench/thresholds';
import { eventually } from '../support/eventually';
import { points, quiet } from '../support/points';
import { startStub, type StubServer } from '../support/stub-http';

const EAST = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const EAST_MINI = { provider: 'azure', alias: 'gpt-4o-mini', region: 'eastus' };
const WEST = { provider: 'azure', alias: 'gpt-4o', region: 'westus' };
const OPENAI = { provider: 'openai', alias: 'gpt-4o', region: 'us' };
const TOKEN = 'read-token-for-tests';

const decision = (over: Partial<Decision> = {}): Decision => ({
  id: 'd1',
  state: 'disabled',
  since: new Date().toISOString(),
  scope: { provider: 'azure', region: 'eastus' },
  alert: 'ProviderErrorRatioHigh',
  probeRatePerMin: 600,
  minDisabledUntil: new Date(Date.now() + 60_000).toISOString(),
  ...over,
});

const sli = { value: 0.5, critical: 0.2 };
function response(d: Decision | undefined, routable = d === undefined): HealthResponse {
  return {
    generatedAt: new Date().toISOString(),
    source: { prometheus: 'ok', alertmanager: 'ok' },
    providers: [
      {
        provider: 'azure',
        status: routable ? 'healthy' : 'down',
        incidents: [],
        deployments: [
          {
            region: 'eastus',
            alias: 'gpt-4o',
            status: routable ? 'healthy' : 'down',
            routable,
            decision: d,
            slis: { errorRatio: sli, latencyP95: sli, rateLimited: sli, successPerSec: 1 },
          },
        ],
      },
    ],
  };
}

let stub: StubServer;
let t: ProviderTelemetry;
let current: HealthResponse | 'down';
beforeEach(async () => {
  current = response(decision());
  stub = await startStub((r) => {
    if (r.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'unauthorized' } };
    return current === 'down' ? { status: 503, body: {} } : { status: 200, body: current };
  });
  t = createProviderTelemetry({
    ...quiet,
    deployments: [EAST, EAST_MINI, WEST, OPENAI],
    healthApi: { url: stub.url, token: TOKEN, intervalMs: 40, staleAfterMs: 150 },
  });
  await eventually(
    () => t.healthApiStatus()!,
    (s) => s.lastSuccessAt !== undefined,
  );
});
afterEach(async () => {
  await t.shutdown();
  await stub.close();
});

const routable = async () =>
  Object.fromEntries(
    (await points(t, SPECS.routable.name)).map((p) => [
      `${p.attributes[LABELS.alias]}@${p.attributes[LABELS.region]}/${p.attributes[LABELS.provider]}`,
      p.value,
    ]),
  );

describe('health API client', () => {
  it('polls with the read token and applies decisions by scope', async () => {
    expect(stub.received[0].url).toBe(API_PATHS.health);
    expect(t.mayRoute(WEST)).toMatchObject({ allow: true, probe: false });
    expect(t.mayRoute(OPENAI).allow).toBe(true);
    // The region-scoped decision covers a deployment the server did not list.
    expect(await routable()).toEqual({
      'gpt-4o@eastus/azure': 0,
      'gpt-4o-mini@eastus/azure': 0,
      'gpt-4o@westus/azure': 1,
      'gpt-4o@us/openai': 1,
    });
  });

  it('lets probes through at the decision probe rate', async () => {
    const first = t.mayRoute(EAST);
    const second = t.mayRoute(EAST);
    expect(first).toMatchObject({ allow: true, probe: true });
    expect(second).toMatchObject({ allow: false, probe: false });
    expect(second.reason).toContain('ProviderErrorRatioHigh');
    // 600/min: the next probe is due 100 ms after the first.
    await eventually(
      () => t.mayRoute(EAST),
      (v) => v.probe,
    );
  });

  it('keeps the last decisions while the API is down and reports staleness', async () => {
    current = 'down';
    await eventually(
      () => t.healthApiStatus()!,
      (s) => s.stale && s.failures > 0,
    );
    t.mayRoute(EAST); // spend the probe
    expect(t.mayRoute(EAST)).toMatchObject({ allow: false });
    expect(t.mayRoute(EAST).reason).toContain('stale');
    current = response(undefined);
    await eventually(
      () => t.mayRoute(EAST),
      (v) => v.allow && !v.probe,
    );
    expect(t.healthApiStatus()!.stale).toBe(false);
  });

  it('ignores dry-run decisions (wouldBe) and lets the router pin its own view', async () => {
    current = response(decision({ wouldBe: 'disabled' }), true);
    await eventually(
      () => t.mayRoute(EAST),
      (v) => v.allow && !v.probe,
    );
    t.setRoutable(WEST, 0);
    expect((await routable())['gpt-4o@westus/azure']).toBe(0);
    expect((await routable())['gpt-4o@eastus/azure']).toBe(1);
  });
});

describe('effective routable: server AND in-process window', () => {
  it('turns a deployment unroutable locally on an error storm, before any server decision', async () => {
    const local = createProviderTelemetry({ ...quiet, window: { thresholds: benchThresholds(), seconds: 10 } });
    try {
      for (let i = 0; i < 30; i++)
        local.attempt({
          ...OPENAI,
          outcome: i % 2 ? 'server_error' : 'success',
          statusCode: i % 2 ? 503 : 200,
          latencySeconds: 0.2,
        });
      // One probe first (so Prometheus keeps seeing the deployment), then held back until the next is due.
      const probe = local.mayRoute(OPENAI);
      expect(probe).toMatchObject({ allow: true, probe: true });
      expect(probe.reason).toContain('held back locally');
      const v = local.mayRoute(OPENAI);
      expect(v).toMatchObject({ allow: false, probe: false });
      expect(v.reason).toContain('errorRatio');
      expect(local.windowReading(OPENAI)).toMatchObject({ judged: true, errorRatio: 0.5 });
      expect((await points(local, SPECS.routable.name)).map((p) => p.value)).toEqual([0]);
    } finally {
      await local.shutdown();
    }
  });
});
