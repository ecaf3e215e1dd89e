import { duration, metricName, oneOf, quote, selector } from '../promql';
import { formatG, humanize, humanizeDuration, humanizePercentage } from '../humanize';

describe('promql builders', () => {
  it('quotes label values so they cannot end the string', () => {
    expect(quote('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(selector('m', [{ label: 'provider', op: '=', value: 'x"} or vector(1) #' }])).toBe(
      'm{provider="x\\"} or vector(1) #"}',
    );
  });

  it('escapes regex metacharacters in alternations', () => {
    expect(oneOf('outcome', ['a.b', 'c|d']).value).toBe('a\\.b|c\\|d');
  });

  it('refuses names and durations that are not PromQL tokens', () => {
    expect(() => metricName('up or vector(1)')).toThrow(/invalid metric name/);
    expect(() => duration('5m] or vector(1)')).toThrow(/invalid duration/);
    expect(selector('up')).toBe('up');
  });
});

describe('humanize (as Prometheus renders templates)', () => {
  it.each([
    [0.1, '0.1'],
    [0.12000000000000001, '0.12'],
    [39.936, '39.94'],
    [12346, '1.235e+04'],
    [0.00001234, '1.234e-05'],
    [1, '1'],
  ])('formatG(%p) = %p', (v, s) => expect(formatG(v)).toBe(s));

  it('formats percentages, durations and rates like Prometheus', () => {
    expect(humanizePercentage(0.75)).toBe('75%');
    expect(humanizePercentage(0.38375001)).toBe('38.38%');
    expect(humanizeDuration(39.936)).toBe('39.94s');
    expect(humanizeDuration(79.872)).toBe('1m 19s');
    expect(humanizeDuration(0.0095)).toBe('9.5ms');
    expect(humanizeDuration(0)).toBe('0s');
    expect(humanize(0)).toBe('0');
    expect(humanize(1500)).toBe('1.5k');
    expect(humanize(0.25)).toBe('250m');
  });
});
