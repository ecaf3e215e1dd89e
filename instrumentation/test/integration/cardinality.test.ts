// 100,000 distinct tenants (some of them e-mail addresses and keys): the series count stays under the limit,
// memory stays flat after warm-up, and no input, however bad, throws into the caller.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LABELS, OTHER_TENANT } from '@provider-health/schema';
import { createProviderTelemetry, SPECS, type AttemptRecord, type ProviderTelemetry } from '../../src';
import { benchThresholds } from '../../bench/thresholds';
import { points, quiet, total } from '../support/points';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const LIMIT = 500;
const D = { provider: 'openai', alias: 'gpt-4o', region: 'us' };
const tenantOf = (i: number) =>
  i % 10 === 0 ? `user${i}@example.com` : i % 10 === 1 ? `sk-${i.toString(16).padStart(40, 'a')}` : `tenant-${i}`;

function run(t: ProviderTelemetry, from: number, to: number): void {
  const r: AttemptRecord = {
    ...D,
    outcome: 'success',
    statusCode: 200,
    latencySeconds: 0.2,
    inputTokens: 3,
    outputTokens: 2,
  };
  for (let i = from; i < to; i++) {
    r.tenant = tenantOf(i);
    r.outcome = i % 7 === 0 ? 'server_error' : 'success';
    r.statusCode = i % 7 === 0 ? 503 : 200;
    t.attempt(r);
  }
}

describe('100,000 tenants', () => {
  it('keeps series under the limit and memory flat after warm-up', async () => {
    const t = createProviderTelemetry({
      ...quiet,
      seriesLimit: LIMIT,
      tenants: { maxTenants: 100 },
      window: { thresholds: benchThresholds() },
    });
    try {
      run(t, 0, 20_000); // warm-up: the 100 tenant slots fill, every cell exists
      const before = heapAfterGc();
      run(t, 20_000, 120_000);
      const after = heapAfterGc();
      for (const name of [SPECS.requests.name, SPECS.tokens.name, SPECS.latency.name]) {
        expect((await points(t, name)).length).toBeLessThanOrEqual(LIMIT);
      }
      const tenants = new Set((await points(t, SPECS.requests.name)).map((p) => p.attributes[LABELS.tenant]));
      expect(tenants.size).toBe(101); // 100 admitted + other
      expect(tenants.has(OTHER_TENANT)).toBe(true);
      expect([...tenants].some((v) => String(v).includes('@') || String(v).startsWith('sk-'))).toBe(false);
      expect(await total(t, SPECS.requests.name)).toBe(120_000);
      expect(await total(t, SPECS.droppedLabels.name, { [LABELS.droppedLabel]: LABELS.tenant })).toBeGreaterThan(
        100_000,
      );
      // 100,000 new tenant values must not be retained: allow 2 MB of noise (the values alone would be ~5 MB).
      expect(after - before).toBeLessThan(2 * 1024 * 1024);
    } finally {
      await t.shutdown();
    }
  });

  it('overflows into one otel_metric_overflow series when the tenant slots exceed the series limit', async () => {
    const t = createProviderTelemetry({ ...quiet, seriesLimit: 50, tenants: { maxTenants: 1000 } });
    try {
      run(t, 0, 5_000);
      const series = await points(t, SPECS.requests.name);
      expect(series).toHaveLength(50);
      expect(series.filter((p) => p.attributes[LABELS.overflow] === true)).toHaveLength(1);
      expect(await total(t, SPECS.requests.name)).toBe(5_000);
    } finally {
      await t.shutdown();
    }
  });
});

describe('never throws into the caller', () => {
  it('swallows and logs bad input', async () => {
    const logs: string[] = [];
    const t = createProviderTelemetry({
      ...quiet,
      logger: (m) => logs.push(m),
      healthApi: { url: 'http://127.0.0.1:9', token: 'x', intervalMs: 60_000 },
    });
    try {
      // Boundary test: deliberately wrong types, as untyped callers could pass.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const bad = (v: unknown) => v as any;
      expect(() => {
        t.attempt(bad(null));
        t.attempt(bad({ provider: 'Not Valid!', alias: 'a', region: 'r', outcome: 'success', latencySeconds: 1 }));
        t.attempt(bad({ ...D, outcome: 'exploded', latencySeconds: Number.NaN }));
        t.attempt(bad({ ...D, outcome: 'success', latencySeconds: -5, statusCode: 'abc', inputTokens: Number.NaN }));
        t.retry(D, bad('nope'));
        t.failover(D, 'Bad Provider!', 'rate_limited');
        t.setRoutable(bad(undefined), 1);
        const h = t.startAttempt(D);
        h.end({ outcome: 'success' });
        h.end({ outcome: 'success' });
        t.mayRoute(bad({}));
      }).not.toThrow();
      expect(await total(t, SPECS.requests.name)).toBe(2);
      expect(logs.length).toBeGreaterThan(0);
      await expect(
        t.withRequestSpan({ model: 'm' }, () => Promise.reject(new Error('the caller’s own error'))),
      ).rejects.toThrow('caller');
    } finally {
      await t.shutdown();
    }
  });
});
