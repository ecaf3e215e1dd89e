// The two baselines the benchmark compares against, generated here as a Prometheus rule file:
// (a) the naive alert: the SLI over a 5m window above the same critical level, `for: 2m`;
// (b) the SRE workbook's multiwindow, multi-burn-rate page for a 99.9% availability objective
//     (1h and 5m above 14.4x the budget, or 6h and 30m above 6x; chapter 5, "Alerting on SLOs").
import {
  ERROR_OUTCOMES,
  EXCLUDED_OUTCOMES,
  INSTRUMENTS,
  LABELS,
  RATE_LIMITED_OUTCOME,
  histogramSeries,
  type Outcome,
  type ResolvedLevels,
} from '@provider-health/schema';
import { stringify } from 'yaml';

export const BASELINE_A = {
  errorRatio: 'BaselineErrorRatio5m',
  rateLimited: 'BaselineRateLimited5m',
  latencyP95: 'BaselineLatencyP95_5m',
} as const;
export const BASELINE_B = 'BaselineBurnRate999';
const OBJECTIVE = 0.999;
const BURN_WINDOWS = [
  { long: '1h', short: '5m', factor: 14.4 },
  { long: '6h', short: '30m', factor: 6 },
];

const SUCCESS: Outcome = 'success';
const BY = `${LABELS.provider}, ${LABELS.region}`;
const requests = INSTRUMENTS.requests.prometheus;
const attempts = (w: string) =>
  `sum by (${BY}) (rate(${requests}{${LABELS.outcome}!~"${EXCLUDED_OUTCOMES.join('|')}"}[${w}]))`;
const outcomes = (list: readonly string[], w: string) =>
  `sum by (${BY}) (rate(${requests}{${LABELS.outcome}=~"${list.join('|')}"}[${w}]))`;
// Unavailability for the SLO: what the provider failed, throttling included.
const BAD = [...ERROR_OUTCOMES, RATE_LIMITED_OUTCOME];

const alert = (name: string, expr: string, forDuration: string | undefined, baseline: string) => ({
  alert: name,
  expr,
  ...(forDuration ? { for: forDuration } : {}),
  labels: { severity: 'critical', baseline },
});

const ruleFile = (rules: object[], evaluationInterval: string) =>
  stringify({ groups: [{ name: 'baselines', interval: evaluationInterval, rules }] }, { lineWidth: 0 });

/** Baseline (a), judging with the critical levels the generated rules use for the same provider. */
export function baselineARules(levels: ResolvedLevels, evaluationInterval: string): string {
  const bucket = histogramSeries(INSTRUMENTS.latency.prometheus).bucket;
  const p95 = `histogram_quantile(0.95, sum by (${BY}, le) (rate(${bucket}{${LABELS.outcome}="${SUCCESS}"}[5m])))`;
  const ratio = (list: readonly string[]) => `${outcomes(list, '5m')} / ${attempts('5m')}`;
  return ruleFile(
    [
      alert(BASELINE_A.errorRatio, `${ratio(ERROR_OUTCOMES)} > ${levels.errorRatio.critical}`, '2m', 'a'),
      alert(BASELINE_A.rateLimited, `${ratio([RATE_LIMITED_OUTCOME])} > ${levels.rateLimited.critical}`, '2m', 'a'),
      alert(BASELINE_A.latencyP95, `${p95} > ${levels.latencyP95.critical}`, '2m', 'a'),
    ],
    evaluationInterval,
  );
}

/** Baseline (b): the page-level burn-rate alert (no `for`, as in the workbook). */
export function baselineBRules(evaluationInterval: string): string {
  const burn = BURN_WINDOWS.map(({ long, short, factor }) => {
    const limit = +(factor * (1 - OBJECTIVE)).toPrecision(6);
    const ratio = (w: string) => `${outcomes(BAD, w)} / ${attempts(w)}`;
    return `(${ratio(long)} > ${limit} and ${ratio(short)} > ${limit})`;
  }).join('\nor\n');
  return ruleFile([alert(BASELINE_B, burn, undefined, 'b')], evaluationInterval);
}
