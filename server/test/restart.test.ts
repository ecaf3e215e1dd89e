// State that must survive a restart: decisions, and the last topology (so guards work while
// Prometheus is still down).
import { API_PATHS } from '@provider-health/schema';
import { TOPOLOGY_QUERY } from '../src/sources/prom-snapshot';
import { startServer } from '../src/start';
import { alert, payload } from './fixtures/alerts';
import { bearer, testConfig } from './fixtures/config';
import { startFakeSources, type FakeSources } from './fixtures/fake-sources';
import { client } from './fixtures/http';

let sources: FakeSources;
beforeAll(async () => {
  sources = await startFakeSources();
  sources.series.set(TOPOLOGY_QUERY, [
    { labels: { provider: 'azure', region: 'eastus', alias: 'gpt-4o' }, value: 1 },
    { labels: { provider: 'openai', region: 'us', alias: 'gpt-4o' }, value: 1 },
  ]);
});
afterAll(() => sources?.close());

it('acts after a restart while Prometheus is down, on the topology read before, and keeps decisions', async () => {
  const config = testConfig(sources.url);
  const first = await startServer(config, { logger: false });
  await first.stop();
  sources.down = true;
  const second = await startServer(config, { logger: false });
  try {
    const http = client(second.url);
    const r = await http({
      method: 'POST',
      url: API_PATHS.hook,
      headers: bearer('hook'),
      payload: payload([alert({ provider: 'azure', region: 'eastus' })]),
    });
    expect(r.json().marks[0].mark).toBe('acted');
  } finally {
    await second.stop();
  }
  const third = await startServer(config, { logger: false });
  try {
    const failover = (
      await client(third.url)({ method: 'GET', url: API_PATHS.failover, headers: bearer('admin') })
    ).json();
    expect(failover.decisions).toMatchObject([{ state: 'disabled', scope: { provider: 'azure', region: 'eastus' } }]);
    expect(failover.deployments.find((d: { provider: string }) => d.provider === 'azure').routable).toBe(false);
  } finally {
    await third.stop();
    sources.down = false;
  }
});
