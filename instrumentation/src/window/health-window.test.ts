import { OUTCOMES, type Outcome, type ResolvedLevels } from '@provider-health/schema';
import { HealthWindow } from './health-window';
import { bucketQuantile } from './quantile';
import { parseDurationSeconds } from './duration';

const LEVELS: ResolvedLevels = {
  minVolume: 0.5,
  errorRatio: { warning: 0.05, critical: 0.2, clear: 0.02 },
  latencyP95: { warning: 20, critical: 60, clear: 15 },
  rateLimited: { warning: 0.1, critical: 0.5, clear: 0.05 },
  failoverRate: { critical: 0.2 },
  traffic: { floor: 0.1 },
};
const idx = (o: Outcome) => OUTCOMES.indexOf(o);

function fill(
  w: HealthWindow,
  second: number,
  ok: number,
  failed: number,
  outcome: Outcome = 'server_error',
  latency = 0.3,
) {
  for (let i = 0; i < ok; i++) w.record(idx('success'), latency, second * 1000);
  for (let i = 0; i < failed; i++) w.record(idx(outcome), latency, second * 1000);
}

describe('health window', () => {
  it('does not judge below the minimum volume', () => {
    const w = new HealthWindow(10, LEVELS, ['errorRatio']);
    fill(w, 100, 0, 4); // 0.4/s < 0.5/s
    expect(w.verdict(100_500)).toMatchObject({ sick: false, reading: { judged: false, errorRatio: 1 } });
  });

  it('turns sick at critical and stays sick until under clear (hysteresis)', () => {
    const w = new HealthWindow(10, LEVELS, ['errorRatio', 'rateLimited', 'latencyP95']);
    fill(w, 100, 70, 30);
    expect(w.verdict(100_000).sick).toBe(true);
    fill(w, 101, 200, 5); // 35/305 = 11%: under critical, above clear
    expect(w.verdict(101_000)).toMatchObject({ sick: true });
    expect(w.verdict(101_000).reason).toContain('clear');
    fill(w, 111, 100, 1); // the old seconds have left the window: 1% < clear
    expect(w.verdict(111_000).sick).toBe(false);
  });

  it('ignores canceled attempts and judges only the SLIs it acts on', () => {
    const w = new HealthWindow(10, LEVELS, ['errorRatio']);
    fill(w, 5, 50, 50, 'canceled');
    fill(w, 5, 0, 60, 'rate_limited');
    const v = w.verdict(5_000);
    expect(v.reading.rateLimited).toBeCloseTo(60 / 110);
    expect(v.sick).toBe(false);
  });

  it('judges p95 latency of successful attempts', () => {
    const w = new HealthWindow(10, LEVELS, ['latencyP95']);
    fill(w, 1, 100, 0, 'success', 100);
    expect(w.verdict(1_000)).toMatchObject({ sick: true });
    expect(w.verdict(1_000).reading.latencyP95).toBeGreaterThan(81.92);
  });
});

describe('bucketQuantile', () => {
  it('interpolates like histogram_quantile and answers the top bound for +Inf', () => {
    expect(bucketQuantile(0.5, [1, 2], [0, 10, 0])).toBe(1.5);
    expect(bucketQuantile(0.95, [1, 2], [0, 0, 5])).toBe(2);
    expect(bucketQuantile(0.95, [1, 2], [0, 0, 0])).toBeNull();
  });
});

describe('parseDurationSeconds', () => {
  it('reads Prometheus durations and refuses the rest', () => {
    expect(parseDurationSeconds('1m')).toBe(60);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(() => parseDurationSeconds('60')).toThrow(/Prometheus syntax/);
  });
});
