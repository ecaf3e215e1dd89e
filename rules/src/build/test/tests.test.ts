import { parse } from 'yaml';
import { GENERATED_FILES, LATENCY_BUCKETS_SECONDS } from '@provider-health/schema';
import { buildOutputs } from '../index';
import { histogramQuantile, sliValue } from '../tests/model';
import { notation } from '../tests/trace';
import { profiles } from '../tests/profiles';
import { designExample } from './fixtures';

const buckets = (i: number, n: number) => {
  const out = new Array(LATENCY_BUCKETS_SECONDS.length + 1).fill(0);
  out[i] = n;
  return out;
};

describe('the test generator’s model', () => {
  it('computes histogram_quantile as Prometheus does', () => {
    expect(histogramQuantile(0.95, buckets(0, 100))).toBeCloseTo(0.0095, 12);
    // (20.48, 40.96]: 20.48 + 20.48 * 0.95
    expect(histogramQuantile(0.95, buckets(12, 100))).toBeCloseTo(39.936, 9);
    // Rank in +Inf: the top finite bucket's bound.
    expect(histogramQuantile(0.95, buckets(LATENCY_BUCKETS_SECONDS.length, 100))).toBe(655.36);
    expect(histogramQuantile(0.95, buckets(0, 0))).toBeUndefined();
  });

  it('sums counts before dividing, never averages ratios', () => {
    const big = { success: 10000 };
    const small = { success: 0, serverError: 3 };
    expect(sliValue('errorRatio', [big, small])).toBeCloseTo(3 / 10003, 12);
  });

  it('writes promtool notation with runs, gaps and resets', () => {
    expect(notation([0, 10, 20, 30, null, 50, 5, 15])).toBe('0+10x3 _ 50-45x1 15');
    expect(notation([1, 1, 1])).toBe('1+0x2');
  });

  it('picks counts strictly inside a range of the SLI', () => {
    for (const [lo, hi] of [
      [0.05, 0.2],
      [0.2, Infinity],
    ]) {
      for (const c of profiles('errorRatio', lo, hi, 10000)) {
        const v = sliValue('errorRatio', [c]) as number;
        expect(v).toBeGreaterThan(lo);
        expect(v).toBeLessThan(hi);
      }
    }
    expect(sliValue('errorRatio', [profiles('errorRatio', 0.2, Infinity, 10000)[0]])).toBe(1);
    const slow = profiles('latencyP95', 60, Infinity, 10000)[0];
    expect(sliValue('latencyP95', [slow])).toBeGreaterThan(60);
  });
});

describe('the generated unit tests', () => {
  const testsOf = (files: Record<string, string>) => parse(files[GENERATED_FILES.ruleTests]);

  it('follow the thresholds: a provider’s stricter critical level shows in the expected alerts', () => {
    const t = designExample();
    const before = JSON.stringify(testsOf(buildOutputs(t)));
    t.providers.azure.levels.errorRatio.critical = 0.3;
    const after = JSON.stringify(testsOf(buildOutputs(t)));
    expect(after).not.toBe(before);
    expect(after).toContain('above the critical threshold of 30%');
    expect(before).not.toContain('above the critical threshold of 30%');
  });

  it('cover every SLI with incidents and silences, and traffic stopping', () => {
    const names: string[] = testsOf(buildOutputs(designExample())).tests.map((g: { name: string }) => g.name);
    for (const sli of ['errorRatio', 'latencyP95', 'rateLimited', 'failoverRate']) {
      expect(names.filter((n) => n.startsWith(`${sli}:`))).toHaveLength(4);
    }
    expect(names.some((n) => n.startsWith('traffic:'))).toBe(true);
  });

  it('run at the configured scrape and evaluation intervals', () => {
    const t = designExample();
    t.prometheus = { scrapeInterval: '5s', evaluationInterval: '5s' };
    const doc = testsOf(buildOutputs(t));
    expect(doc.evaluation_interval).toBe('5s');
    expect(doc.tests.every((g: { interval: string }) => g.interval === '5s')).toBe(true);
  });
});
