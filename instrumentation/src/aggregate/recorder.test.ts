import { LABELS, OTHER_TENANT } from '@provider-health/schema';
import { Recorder } from './recorder';
import type { AttemptRecord } from '../types';

const attempt = (over: Partial<AttemptRecord> = {}): AttemptRecord => ({
  provider: 'openai',
  alias: 'gpt-4o',
  region: 'us',
  outcome: 'success',
  statusCode: 200,
  latencySeconds: 0.3,
  ...over,
});

describe('recorder', () => {
  it('keeps every instrument within the series limit, with one overflow series', () => {
    const r = new Recorder({ seriesLimit: 10, tenants: { maxTenants: 1000 } });
    for (let i = 0; i < 100; i++) r.attempt(attempt({ tenant: `t${i}`, inputTokens: 1 }), 0);
    expect(r.requests.size).toBe(10);
    const overflow = r.requests.all().filter((c) => c.attributes[LABELS.overflow] === true);
    expect(overflow).toHaveLength(1);
    expect(r.requests.all().reduce((s, c) => s + c.value, 0)).toBe(100);
    expect(r.tokens.size).toBe(10);
  });

  it('normalises ids and refuses invalid ones, counting them as dropped', () => {
    const r = new Recorder();
    r.attempt(attempt({ provider: ' OpenAI ' }), 0);
    r.attempt(attempt({ region: 'us east' }), 0);
    expect(r.requests.all().map((c) => c.attributes[LABELS.provider])).toEqual(['openai']);
    expect(r.dropped.all().map((c) => [c.attributes[LABELS.droppedLabel], c.value])).toEqual([[LABELS.region, 1]]);
  });

  it('accepts an empty region (providers without regions) but not an empty provider or alias', () => {
    const r = new Recorder();
    r.attempt(attempt({ region: '' }), 0);
    r.attempt(attempt({ alias: ' ' }), 0);
    expect(r.requests.all().map((c) => c.attributes[LABELS.region])).toEqual(['']);
    expect(r.dropped.all().map((c) => c.attributes[LABELS.droppedLabel])).toEqual([LABELS.alias]);
  });

  it('counts tenants folded into other in the dropped-labels counter', () => {
    const r = new Recorder({ tenants: { maxTenants: 1 } });
    r.attempt(attempt({ tenant: 'acme' }), 0);
    r.attempt(attempt({ tenant: 'bob@example.com' }), 0);
    r.attempt(attempt({ tenant: 'globex' }), 0);
    expect(r.requests.all().map((c) => c.attributes[LABELS.tenant])).toEqual(['acme', OTHER_TENANT]);
    expect(r.dropped.all()[0].value).toBe(2);
  });

  it('puts latency in the seconds buckets with upper bounds inclusive', () => {
    const r = new Recorder();
    r.attempt(attempt({ latencySeconds: 0.01 }), 0);
    r.attempt(attempt({ latencySeconds: 1000 }), 0);
    const [h] = r.latency.all();
    expect(h.counts[0]).toBe(1);
    expect(h.counts[h.counts.length - 1]).toBe(1);
    expect([h.count, h.sum, h.min, h.max]).toEqual([2, 1000.01, 0.01, 1000]);
  });

  it('records failovers from a deployment to a provider', () => {
    const r = new Recorder();
    r.failover({ provider: 'azure', alias: 'gpt-4o', region: 'eastus' }, 'OpenAI', 'rate_limited');
    expect(r.failovers.all()[0].attributes).toEqual({
      [LABELS.provider]: 'azure',
      [LABELS.toProvider]: 'openai',
      [LABELS.alias]: 'gpt-4o',
      [LABELS.region]: 'eastus',
      [LABELS.reason]: 'rate_limited',
    });
  });
});
