// The asynchronous parts with scripted sources: confirmation from Prometheus (or its absence) and
// router actions retried with backoff.
import { API_PATHS, THRESHOLD_SERIES, recordingRuleName } from '@provider-health/schema';
import { waitFor } from '@provider-health/testkit';
import { TOPOLOGY_QUERY } from '../src/sources/prom-snapshot';
import { startServer, type RunningServer } from '../src/start';
import { alert, payload, resolved } from './fixtures/alerts';
import { startCatcher, type Catcher } from './fixtures/catcher';
import { bearer, testConfig } from './fixtures/config';
import { startFakeSources, type FakeSources } from './fixtures/fake-sources';
import { client } from './fixtures/http';

let sources: FakeSources;
let catcher: Catcher;
let server: RunningServer;
const scope = { provider: 'azure', region: 'eastus' };
const region = { provider: 'azure', region: 'eastus' };

beforeAll(async () => {
  sources = await startFakeSources();
  catcher = await startCatcher();
  sources.series.set(TOPOLOGY_QUERY, [
    { labels: { provider: 'azure', region: 'eastus', alias: 'gpt-4o' }, value: 1 },
    { labels: { provider: 'openai', region: 'us', alias: 'gpt-4o' }, value: 1 },
  ]);
  sources.series.set(THRESHOLD_SERIES, [
    { labels: { sli: 'error_ratio', level: 'clear', provider: '', alias: '' }, value: 0.02 },
    { labels: { sli: 'min_volume', level: 'min', provider: '', alias: '' }, value: 0.2 },
  ]);
  server = await startServer(
    testConfig(sources.url, (c) => {
      c.actions = { ...c.actions, initialBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 5 };
      c.actions.templates = [
        {
          name: 'router',
          on: ['disabled', 'ended'],
          url: `${catcher.url}/act`,
          method: 'POST',
          headers: { 'x-token': 'secret-header-value' },
          body: '{{json transition}}',
        },
      ];
    }),
    { logger: false },
  );
});
afterAll(async () => {
  await server?.stop();
  await sources?.close();
  await catcher?.close();
});

const http = () => client(server.url);
const decisions = async () =>
  (await http()({ method: 'GET', url: API_PATHS.failover, headers: bearer('admin') })).json().decisions;

it('retries a failing router action with backoff and audits each attempt without its headers', async () => {
  catcher.status = 503;
  const a = alert(scope);
  await http()({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([a]) });
  await waitFor(() => catcher.requests.length >= 3, { what: 'three attempts', timeoutMs: 5000 });
  catcher.status = 200;
  await waitFor(
    async () => {
      const rows = (
        await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=action`, headers: bearer('admin') })
      ).json().rows;
      return rows[0]?.status === 'done' && rows;
    },
    { what: 'the action done', timeoutMs: 5000 },
  );
  const rows = (await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=action`, headers: bearer('admin') })).json()
    .rows;
  expect(rows.filter((r: { status: string }) => r.status === 'retry').length).toBeGreaterThanOrEqual(2);
  expect(JSON.stringify(rows)).not.toContain('secret-header-value');
  expect(new Set(catcher.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  expect(catcher.requests[0].headers['x-token']).toBe('secret-header-value');
});

it('keeps a resolved scope disabled while Prometheus is unreadable, and ends it once Prometheus confirms', async () => {
  const a = alert(scope);
  await http()({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([resolved(a)]) });
  sources.down = true;
  await server.service.confirmEndings();
  expect(await decisions()).toMatchObject([{ state: 'disabled', lastConfirmation: { confirmed: false } }]);
  expect((await decisions())[0].lastConfirmation.evidence.why).toMatch(/Prometheus unreadable/);

  // Readable, but the SLI is still above clear: stays.
  sources.down = false;
  sources.series.set(recordingRuleName('region', 'attempts', '1m') + `{provider="azure",region="eastus"}`, [
    { labels: region, value: 0.5 },
  ]);
  sources.series.set(recordingRuleName('region', 'errorRatio', '1m') + `{provider="azure",region="eastus"}`, [
    { labels: region, value: 0.3 },
  ]);
  await server.service.confirmEndings();
  expect(await decisions()).toHaveLength(1);

  sources.series.set(recordingRuleName('region', 'errorRatio', '1m') + `{provider="azure",region="eastus"}`, [
    { labels: region, value: 0.01 },
  ]);
  await server.service.confirmEndings();
  await server.service.confirmEndings();
  expect(await decisions()).toHaveLength(0);
  const ended = (
    await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=decision`, headers: bearer('admin') })
  ).json().rows;
  expect(ended.filter((r: { status: string }) => r.status === 'ended')).toHaveLength(1);
  expect(ended[0].detail).toMatchObject({ attemptsPerSec: 0.5, errorRatio: { value: 0.01, clear: 0.02 } });
});
