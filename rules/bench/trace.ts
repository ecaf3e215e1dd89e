// Synthetic router telemetry as promtool input_series: counters integrated from per-second rates, so an
// incident can start anywhere inside a scrape interval; optional Poisson noise for healthy-looking traffic.
import {
  ERROR_OUTCOMES,
  INSTRUMENTS,
  LABELS,
  LATENCY_BUCKETS_SECONDS,
  RATE_LIMITED_OUTCOME,
  histogramSeries,
  type Outcome,
} from '@provider-health/schema';
import { normalCdf, poisson } from './random';

/** What a deployment does at one moment. */
export interface Rates {
  /** Attempts per second, canceled excluded. */
  attempts: number;
  errorShare: number;
  rateLimitedShare: number;
  clientErrorShare: number;
  /** Median latency of successful attempts, seconds (log-normal, sigma LATENCY_SIGMA). */
  latency: number;
}
export type Profile = (t: number) => Rates;

export interface DeploymentTrace {
  labels: { provider: string; alias: string; region: string };
  profile: Profile;
  /** provider_routable over time (1 when left out). */
  routable?: (t: number) => number;
  /** Scrape times (s) at which the router restarted: counters start again from zero. */
  resets?: number[];
  /** Scrape times (s) that were missed. */
  missed?: number[];
}

export interface TraceSpec {
  durationS: number;
  scrapeS: number;
  deployments: DeploymentTrace[];
  /** Poisson counts per scrape interval instead of exact expectations. */
  random?: () => number;
}

export interface InputSeries {
  series: string;
  values: string;
}

const LATENCY_SIGMA = 0.35;
const SUCCESS: Outcome = 'success';
const CLIENT_ERROR: Outcome = 'client_error';
const SERVER_ERROR: Outcome = ERROR_OUTCOMES[0];
const OUTCOME_KEYS = ['success', 'serverError', 'rateLimited', 'clientError'] as const;
type Counts = Record<(typeof OUTCOME_KEYS)[number], number> & { buckets: number[]; latencySum: number };
const OUTCOME_LABEL: Record<(typeof OUTCOME_KEYS)[number], Outcome> = {
  success: SUCCESS,
  serverError: SERVER_ERROR,
  rateLimited: RATE_LIMITED_OUTCOME,
  clientError: CLIENT_ERROR,
};

/** Share of successes at or below each finite bucket bound. */
function bucketShares(median: number): number[] {
  return LATENCY_BUCKETS_SECONDS.map((le) => normalCdf((Math.log(le) - Math.log(median)) / LATENCY_SIGMA));
}

/** Expected counts in (from, to], integrated at half-second resolution. */
function expectedCounts(profile: Profile, from: number, to: number): Counts {
  const c: Counts = { success: 0, serverError: 0, rateLimited: 0, clientError: 0, buckets: [], latencySum: 0 };
  const buckets = LATENCY_BUCKETS_SECONDS.map(() => 0);
  const dt = 0.5;
  for (let t = from; t < to; t += dt) {
    const r = profile(t + dt / 2);
    const n = r.attempts * dt;
    const ok = n * (1 - r.errorShare - r.rateLimitedShare - r.clientErrorShare);
    c.serverError += n * r.errorShare;
    c.rateLimited += n * r.rateLimitedShare;
    c.clientError += n * r.clientErrorShare;
    c.success += ok;
    c.latencySum += ok * r.latency;
    bucketShares(r.latency).forEach((share, i) => (buckets[i] += ok * share));
  }
  c.buckets = buckets;
  return c;
}

function noisy(c: Counts, random: () => number): Counts {
  const success = poisson(c.success, random);
  const scale = c.success > 0 ? success / c.success : 0;
  return {
    success,
    serverError: poisson(c.serverError, random),
    rateLimited: poisson(c.rateLimited, random),
    clientError: poisson(c.clientError, random),
    // Cumulative bucket shares scaled to the drawn successes keep the histogram monotone.
    buckets: c.buckets.map((b) => Math.min(success, Math.round(b * scale))),
    latencySum: c.latencySum * scale,
  };
}

const selector = (name: string, labels: Record<string, string>): string =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4));

/** One value string per series of a deployment, in promtool's notation (`_` = no sample). */
function deploymentSeries(spec: TraceSpec, d: DeploymentTrace): InputSeries[] {
  const steps = Math.floor(spec.durationS / spec.scrapeS);
  const missed = new Set(d.missed ?? []);
  const resets = new Set(d.resets ?? []);
  const hist = histogramSeries(INSTRUMENTS.latency.prometheus);
  const columns = new Map<string, string[]>();
  const push = (series: string, value: number | undefined): void => {
    if (!columns.has(series)) columns.set(series, []);
    columns.get(series)!.push(value === undefined ? '_' : fmt(value));
  };
  const total: Counts = { success: 0, serverError: 0, rateLimited: 0, clientError: 0, buckets: [], latencySum: 0 };
  total.buckets = LATENCY_BUCKETS_SECONDS.map(() => 0);
  const base = {
    [LABELS.provider]: d.labels.provider,
    [LABELS.alias]: d.labels.alias,
    [LABELS.region]: d.labels.region,
  };
  for (let step = 0; step <= steps; step++) {
    const t = step * spec.scrapeS;
    if (step > 0) {
      const expected = expectedCounts(d.profile, t - spec.scrapeS, t);
      const c = spec.random ? noisy(expected, spec.random) : expected;
      if (resets.has(t))
        Object.assign(
          total,
          { success: 0, serverError: 0, rateLimited: 0, clientError: 0, latencySum: 0 },
          { buckets: total.buckets.map(() => 0) },
        );
      for (const k of OUTCOME_KEYS) total[k] += c[k];
      total.latencySum += c.latencySum;
      c.buckets.forEach((b, i) => (total.buckets[i] += b));
    }
    const seen = !missed.has(t);
    const value = (v: number) => (seen ? v : undefined);
    for (const k of OUTCOME_KEYS) {
      push(selector(INSTRUMENTS.requests.prometheus, { ...base, [LABELS.outcome]: OUTCOME_LABEL[k] }), value(total[k]));
    }
    const ok = { ...base, [LABELS.outcome]: SUCCESS };
    LATENCY_BUCKETS_SECONDS.forEach((le, i) =>
      push(selector(hist.bucket, { ...ok, le: String(le) }), value(total.buckets[i])),
    );
    push(selector(hist.bucket, { ...ok, le: '+Inf' }), value(total.success));
    push(selector(hist.count, ok), value(total.success));
    push(selector(hist.sum, ok), value(total.latencySum));
    push(selector(INSTRUMENTS.routable.prometheus, base), value(d.routable ? d.routable(t) : 1));
  }
  return [...columns].map(([series, values]) => ({ series, values: values.join(' ') }));
}

export function inputSeries(spec: TraceSpec): InputSeries[] {
  return spec.deployments.flatMap((d) => deploymentSeries(spec, d));
}

export const HEALTHY: Rates = {
  attempts: 2,
  errorShare: 0.002,
  rateLimitedShare: 0,
  clientErrorShare: 0.01,
  latency: 1.5,
};
