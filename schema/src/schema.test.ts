import {
  ALERTS,
  LATENCY_BUCKETS_SECONDS,
  TTFT_BUCKETS_SECONDS,
  normaliseId,
  recordingRuleName,
  levelsFor,
  type ResolvedThresholds,
} from './index';

describe('schema', () => {
  it('derives recording rule names from the window', () => {
    expect(recordingRuleName('region', 'errorRatio', '5m')).toBe(
      'provider_region:provider_errors_per_attempt:ratio_rate5m',
    );
    expect(recordingRuleName('deployment', 'latencyP95', '1m')).toBe(
      'provider_alias_region:provider_latency_seconds:p95_rate1m',
    );
  });

  it('keeps buckets strictly increasing and in seconds', () => {
    for (const b of [LATENCY_BUCKETS_SECONDS, TTFT_BUCKETS_SECONDS]) {
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
      expect(b[b.length - 1]).toBeLessThan(1000);
    }
  });

  it('normalises ids and refuses the rest', () => {
    expect(normaliseId(' Azure ')).toBe('azure');
    expect(normaliseId('gpt-4o')).toBe('gpt-4o');
    expect(normaliseId('a"b')).toBeUndefined();
    expect(normaliseId('-x')).toBeUndefined();
    expect(normaliseId('x'.repeat(65))).toBeUndefined();
  });

  it('has unique alert names', () => {
    const names = Object.values(ALERTS);
    expect(new Set(names).size).toBe(names.length);
  });

  it('picks the most specific levels', () => {
    const lv = (c: number) => ({
      minVolume: 0.2,
      errorRatio: { critical: c },
      latencyP95: { critical: 60 },
      rateLimited: { critical: 0.5 },
      failoverRate: { critical: 0.2 },
      traffic: { floor: 0.1 },
    });
    const t = {
      defaults: lv(0.2),
      providers: { azure: { levels: lv(0.1), aliases: { 'gpt-4o': { levels: lv(0.05) } } } },
    } as unknown as ResolvedThresholds;
    expect(levelsFor(t, 'openai').errorRatio.critical).toBe(0.2);
    expect(levelsFor(t, 'azure').errorRatio.critical).toBe(0.1);
    expect(levelsFor(t, 'azure', 'gpt-4o').errorRatio.critical).toBe(0.05);
    expect(levelsFor(t, 'azure', 'other').errorRatio.critical).toBe(0.1);
  });
});
