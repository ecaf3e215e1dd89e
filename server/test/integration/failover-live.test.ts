// Live: generated rules on scripted series in a real Prometheus, a real Alertmanager posting to the
// server, router actions at a local endpoint, recovery confirmed by data, backoff on re-disable.
import { API_PATHS, type HealthResponse } from '@provider-health/schema';
import { waitFor } from '@provider-health/testkit';
import { bearer } from '../fixtures/config';
import { client } from '../fixtures/http';
import { startLiveStack, type LiveStack } from '../fixtures/live-stack';

jest.setTimeout(150_000);

const east = { provider: 'azure', region: 'eastus', alias: 'gpt-4o' };
const west = { provider: 'azure', region: 'westeu', alias: 'gpt-4o' };
const openai = { provider: 'openai', region: 'us', alias: 'gpt-4o' };
const healthy = (attemptsPerSec: number) => ({ attemptsPerSec, errorShare: 0 });

let stack: LiveStack;
beforeAll(async () => {
  // West carries most of azure's gpt-4o traffic, so only the (azure, eastus) scope crosses critical.
  stack = await startLiveStack([
    [east, healthy(10)],
    [west, healthy(60)],
    [openai, healthy(20)],
  ]);
});
afterAll(async () => {
  await stack?.stop();
});

const http = () => client(stack.server.url);
async function eastHealth() {
  const body = (
    await http()({ method: 'GET', url: `${API_PATHS.health}?provider=azure`, headers: bearer('read') })
  ).json() as HealthResponse;
  return body.providers[0]?.deployments.find((d) => d.region === 'eastus');
}
const routerCalls = (transition: string) =>
  stack.catcher.requests.filter((r) => r.path.startsWith('/router/') && JSON.parse(r.body).transition === transition);
const failover = async () =>
  (await http()({ method: 'GET', url: API_PATHS.failover, headers: bearer('admin') })).json();

it('disables a failing deployment, keeps it disabled while it fails, re-enables once on recovery, doubles backoff', async () => {
  await waitFor(async () => (await eastHealth())?.status === 'healthy', {
    what: 'azure/eastus healthy with traffic',
    timeoutMs: 30_000,
    intervalMs: 500,
  });

  stack.router.set(east, { attemptsPerSec: 10, errorShare: 0.6 });
  const disabled = await waitFor(
    async () => {
      const d = await eastHealth();
      return d && !d.routable && d;
    },
    { what: 'azure/eastus disabled', timeoutMs: 45_000, intervalMs: 250 },
  );
  expect(disabled.decision).toMatchObject({
    state: 'disabled',
    scope: { provider: 'azure', region: 'eastus' },
    alert: 'ProviderErrorRatioHigh',
    probeRatePerMin: 90,
  });
  expect(disabled.status).toBe('down');
  const westNow = (
    await http()({ method: 'GET', url: API_PATHS.health, headers: bearer('read') })
  ).json() as HealthResponse;
  expect(
    westNow.providers.find((p) => p.provider === 'azure')!.deployments.find((d) => d.region === 'westeu')!.routable,
  ).toBe(true);

  await waitFor(() => routerCalls('disabled').length === 1, {
    what: 'the disable action at the router endpoint',
    timeoutMs: 10_000,
  });
  const call = routerCalls('disabled')[0];
  expect(call.path).toBe('/router/azure');
  expect(call.headers['idempotency-key']).toMatch(/:disabled:router$/);
  const decisions = (
    await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=decision`, headers: bearer('admin') })
  ).json().rows;
  expect(decisions).toHaveLength(1);

  // Probe traffic only, still failing: past the minimum disabled time it stays disabled.
  stack.router.set(east, { attemptsPerSec: 1.5, errorShare: 0.6 });
  await new Promise((r) => setTimeout(r, stack.config.failover.minDisabledMs + 2000));
  expect((await eastHealth())!.routable).toBe(false);
  const measured = (await eastHealth())!.slis;
  expect(measured.attemptsPerSec).toBeGreaterThan(1);
  expect(measured.errorRatio.value).toBeGreaterThan(0.3);

  // Recovery on probe traffic: the alert resolves, Prometheus confirms, routable again exactly once.
  stack.router.set(east, { attemptsPerSec: 1.5, errorShare: 0 });
  await waitFor(async () => (await eastHealth())?.routable, {
    what: 'azure/eastus routable again',
    timeoutMs: 45_000,
    intervalMs: 250,
  });
  await waitFor(() => routerCalls('ended').length === 1, { what: 'the re-enable action', timeoutMs: 10_000 });
  const ended = (
    await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=decision`, headers: bearer('admin') })
  ).json().rows;
  expect(ended.filter((r: { status: string }) => r.status === 'ended')).toHaveLength(1);
  expect(ended.find((r: { status: string }) => r.status === 'ended').detail).toMatchObject({ window: '10s' });

  // Failing again soon after: disabled again with twice the minimum disabled time.
  stack.router.set(east, { attemptsPerSec: 10, errorShare: 0.6 });
  await waitFor(async () => (await eastHealth())?.routable === false, {
    what: 'azure/eastus disabled again',
    timeoutMs: 45_000,
    intervalMs: 250,
  });
  const [again] = (await failover()).decisions;
  expect(Date.parse(again.minDisabledUntil) - Date.parse(again.since)).toBe(2 * stack.config.failover.minDisabledMs);
  expect(routerCalls('ended')).toHaveLength(1);
  const notes = (
    await http()({
      method: 'GET',
      url: `${API_PATHS.audit}?kind=notification&provider=azure`,
      headers: bearer('admin'),
    })
  ).json().rows;
  expect(notes.length).toBeGreaterThanOrEqual(3);
  expect(
    notes.every((r: { mark: string }) => ['acted', 'duplicate', 'stale', 'ignored', 'refused'].includes(r.mark)),
  ).toBe(true);
});
