// Time to detect: synthetic incidents that start at different moments inside the scrape interval, run
// through the generated rules and both baselines with promtool (one process per incident for ours).
import { ALERTS, INSTRUMENTS } from '@provider-health/schema';
import { BASELINE_A, BASELINE_B } from './baselines';
import { pool, runProbes, type ProbeResult, type TestGroup } from './promtool';
import { HEALTHY, inputSeries, type InputSeries, type Rates } from './trace';

export interface Incident {
  name: string;
  /** Our alert that must fire. */
  ours: string;
  baselineA?: string;
  /** Whether the availability burn-rate alert is meant to catch it. */
  baselineB: boolean;
  /** Our alert has no warning level. */
  criticalOnly?: boolean;
  during: (healthy: Rates) => Rates;
  /** Healthy history our rules need before it (the traffic rule compares with the last hour). */
  preS: number;
  postS: number;
}

const MIN = 60;
export const INCIDENTS: Incident[] = [
  {
    name: 'hard outage (100% 5xx)',
    ours: ALERTS.errorRatio,
    baselineA: BASELINE_A.errorRatio,
    baselineB: true,
    during: (h) => ({ ...h, errorShare: 1, clientErrorShare: 0 }),
    preS: 15 * MIN,
    postS: 10 * MIN,
  },
  {
    name: 'error storm (20% 5xx)',
    ours: ALERTS.errorRatio,
    baselineA: BASELINE_A.errorRatio,
    baselineB: true,
    during: (h) => ({ ...h, errorShare: 0.2 }),
    preS: 15 * MIN,
    postS: 10 * MIN,
  },
  {
    name: 'p95 latency spike (90 s)',
    ours: ALERTS.latencyP95,
    baselineA: BASELINE_A.latencyP95,
    baselineB: false,
    during: (h) => ({ ...h, latency: 90 }),
    preS: 15 * MIN,
    postS: 10 * MIN,
  },
  {
    name: '429 saturation (60%)',
    ours: ALERTS.rateLimited,
    baselineA: BASELINE_A.rateLimited,
    baselineB: true,
    during: (h) => ({ ...h, rateLimitedShare: 0.6 }),
    preS: 15 * MIN,
    postS: 10 * MIN,
  },
  {
    name: 'traffic stops',
    ours: ALERTS.traffic,
    baselineB: false,
    criticalOnly: true,
    during: (h) => ({ ...h, attempts: 0 }),
    preS: 75 * MIN,
    postS: 15 * MIN,
  },
];

export interface DetectionSetup {
  dir: string;
  /** Generated rules + baseline (a), and baseline (b) alone (its 6h windows make it slow on more series). */
  oursAndBaselineA: string[];
  baselineB: string[];
  intervalS: number;
  /** Incident start offsets within the scrape interval, seconds. */
  offsetsS: number[];
  labels: { provider: string; alias: string; region: string };
  concurrency: number;
}

type Seconds = number | undefined;
/** Seconds from the first failed request to the first firing evaluation, per offset; undefined: never. */
export interface Detection {
  incident: Incident;
  ours: { warning: Seconds[]; critical: Seconds[] };
  baselineA: Seconds[];
  baselineB: Seconds[];
  /** Alerts firing on the healthy history before the incident (should be none). */
  falseBefore: string[];
}

/** The burn-rate baseline needs six hours of history before the incident. */
const BURN_PRE_S = 6 * 60 * MIN;

function group(setup: DetectionSetup, incident: Incident, offset: number, preS: number, only?: string): TestGroup {
  const start = preS + offset;
  const profile = (t: number) => (t < start ? HEALTHY : incident.during(HEALTHY));
  const series: InputSeries[] = inputSeries({
    durationS: preS + incident.postS,
    scrapeS: setup.intervalS,
    deployments: [{ labels: setup.labels, profile }],
  });
  return {
    name: `${INCIDENTS.indexOf(incident)}-${offset}`,
    inputSeries: only ? series.filter((s) => s.series.startsWith(`${only}{`)) : series,
    probes: [
      {
        name: 'first',
        expr: `min_over_time(timestamp(ALERTS{alertstate="firing"})[${incident.postS}s:${setup.intervalS}s])`,
        evalTimeS: preS + incident.postS,
      },
      { name: 'before', expr: `count_over_time(ALERTS{alertstate="firing"}[${preS}s])`, evalTimeS: preS },
    ],
  };
}

function firstFiring(results: ProbeResult[], trace: string, startS: number, alertname?: string, severity?: string) {
  const times = results
    .filter((r) => r.labels.probe === 'first' && r.labels.trace === trace && r.labels.alertname === alertname)
    .filter((r) => !severity || r.labels.severity === severity)
    .map((r) => r.value - startS);
  return times.length > 0 ? Math.min(...times) : undefined;
}

export async function measureDetection(setup: DetectionSetup): Promise<Detection[]> {
  const burnIncidents = INCIDENTS.filter((i) => i.baselineB);
  const burnGroups = burnIncidents.flatMap((i) =>
    setup.offsetsS.map((o) => group(setup, i, o, BURN_PRE_S, INSTRUMENTS.requests.prometheus)),
  );
  const tasks = [
    ...INCIDENTS.map(
      (incident, n) => () =>
        runProbes(
          setup.dir,
          setup.oursAndBaselineA,
          setup.offsetsS.map((o) => group(setup, incident, o, incident.preS)),
          setup.intervalS,
          `detection-${n}.test.yml`,
        ),
    ),
    () => runProbes(setup.dir, setup.baselineB, burnGroups, setup.intervalS, 'detection-burn.test.yml'),
  ];
  const results = await pool(tasks, setup.concurrency);
  const burn = results[results.length - 1];
  return INCIDENTS.map((incident, n) => {
    const ours = results[n];
    const at = (o: number) => `${n}-${o}`;
    return {
      incident,
      ours: {
        warning: setup.offsetsS.map((o) => firstFiring(ours, at(o), incident.preS + o, incident.ours, 'warning')),
        critical: setup.offsetsS.map((o) => firstFiring(ours, at(o), incident.preS + o, incident.ours, 'critical')),
      },
      baselineA: setup.offsetsS.map((o) =>
        incident.baselineA ? firstFiring(ours, at(o), incident.preS + o, incident.baselineA) : undefined,
      ),
      baselineB: setup.offsetsS.map((o) =>
        incident.baselineB ? firstFiring(burn, at(o), BURN_PRE_S + o, BASELINE_B) : undefined,
      ),
      falseBefore: describeAlerts(
        [...ours, ...burn].filter((r) => r.labels.probe === 'before' && r.labels.trace.startsWith(`${n}-`)),
      ),
    };
  });
}

const IGNORED = new Set(['Watchdog']);

export function describeAlerts(results: ProbeResult[]): string[] {
  return results
    .filter((r) => !IGNORED.has(r.labels.alertname))
    .map((r) => `${r.labels.alertname}${r.labels.severity ? `/${r.labels.severity}` : ''}@${r.labels.trace}`);
}
