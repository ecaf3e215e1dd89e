import { THRESHOLD_SERIES } from '@provider-health/schema';
import { alert } from '../../test/fixtures/alerts';
import { SourceError } from '../sources/fetch-json';
import type { PromSnapshot } from '../sources/prom-snapshot';
import { ThresholdsView } from '../sources/thresholds-view';
import { buildHealth, type HealthInputs } from './build';
import { providerStatus } from './status';

const east = { provider: 'azure', region: 'eastus', alias: 'gpt-4o' };
const west = { provider: 'azure', region: 'westeu', alias: 'gpt-4o' };

function snapshot(attempts: Record<string, number>): PromSnapshot {
  const slis = new Map(Object.entries(attempts).map(([k, v]) => [k, { attemptsPerSec: v, errorRatio: 0.01 }]));
  const thresholds = new ThresholdsView([
    { labels: { __name__: THRESHOLD_SERIES, sli: 'min_volume', level: 'min', provider: '', alias: '' }, value: 0.2 },
    { labels: { sli: 'error_ratio', level: 'critical', provider: '', alias: '' }, value: 0.2 },
    { labels: { sli: 'error_ratio', level: 'critical', provider: 'azure', alias: 'gpt-4o' }, value: 0.1 },
  ]);
  return { topology: [east, west], slis, thresholds };
}

const inputs = (patch: Partial<HealthInputs> = {}): HealthInputs => ({
  prom: { value: snapshot({ 'azure/eastus/gpt-4o': 1, 'azure/westeu/gpt-4o': 0.05 }) },
  am: { value: [] },
  lastTopology: [],
  decisions: [],
  overrides: [],
  now: 0,
  ...patch,
});

describe('buildHealth', () => {
  it('maps healthy, no_traffic and the most specific threshold', () => {
    const [azure] = buildHealth(inputs()).providers;
    expect(azure.deployments.map((d) => [d.region, d.status])).toEqual([
      ['eastus', 'healthy'],
      ['westeu', 'no_traffic'],
    ]);
    expect(azure.deployments[0].slis.errorRatio).toEqual({ value: 0.01, critical: 0.1 });
    expect(azure.status).toBe('healthy');
  });

  it('marks degraded on a warning and down on a critical incident covering the deployment', () => {
    const warning = alert({ provider: 'azure', region: 'eastus', severity: 'warning', failover: false });
    const critical = alert({ provider: 'azure', region: 'westeu' });
    const [azure] = buildHealth(inputs({ am: { value: [warning, critical] } })).providers;
    expect(azure.deployments.map((d) => d.status)).toEqual(['degraded', 'down']);
    expect(azure.incidents).toHaveLength(2);
    expect(azure.status).toBe('down');
  });

  it('is unknown, never healthy, when a source cannot be read, and keeps the last topology', () => {
    const error = new SourceError('timeout', 'http://prom did not answer within 500 ms');
    const r = buildHealth(inputs({ prom: { error }, lastTopology: [east] }));
    expect(r.source).toMatchObject({ prometheus: 'timeout', reason: expect.stringContaining('did not answer') });
    expect(r.providers[0]).toMatchObject({ status: 'unknown', deployments: [{ region: 'eastus', status: 'unknown' }] });
    const am = buildHealth(inputs({ am: { error: new SourceError('unreachable', 'am down') } }));
    expect(am.providers[0].deployments.map((d) => d.status)).toEqual(['unknown', 'unknown']);
  });

  it('aggregates a provider by its worst deployment', () => {
    expect(providerStatus(['healthy', 'no_traffic'])).toBe('healthy');
    expect(providerStatus(['no_traffic', 'no_traffic'])).toBe('no_traffic');
    expect(providerStatus(['healthy', 'degraded', 'unknown'])).toBe('unknown');
    expect(providerStatus(['unknown', 'down'])).toBe('down');
  });
});
