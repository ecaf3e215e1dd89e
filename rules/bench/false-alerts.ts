// False alerts: traces with no incident (noisy but healthy for 24 h, idle, a trickle of traffic) through
// the generated rules and both baselines; every alert that fires is a false one.
import { pool, runProbes, type ProbeResult, type TestGroup } from './promtool';
import { seededRandom } from './random';
import { inputSeries, type DeploymentTrace, type Rates } from './trace';

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface QuietTrace {
  name: string;
  durationS: number;
  deployments: DeploymentTrace[];
  noise: boolean;
}

/** Deterministic "random" events: the same trace in every run. */
function events(seed: number, count: number, durationS: number, stepS: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Math.floor((random() * durationS) / stepS) * stepS).sort((a, b) => a - b);
}

const within = (t: number, starts: number[], lengthS: number) => starts.some((s) => t >= s && t < s + lengthS);

/** Diurnal traffic peaking at `peak` attempts/s (a tenth of it at night), 0.3% errors and 0.1% throttling
 * (inside a 99.9% objective: a burn rate of 4, below both page thresholds), latency drifting between 1.5 and 3 s, and the small things healthy production shows: single-scrape bursts
 * of errors, short 429 spikes below the warning level, a slow period, one router restart, one missed scrape. */
function noisyDeployment(labels: DeploymentTrace['labels'], peak: number, seed: number): DeploymentTrace {
  const bursts = events(seed, 24, DAY, 15);
  const throttled = events(seed + 1, 6, DAY, 15);
  const slow = events(seed + 2, 3, DAY, 15);
  const profile = (t: number): Rates => ({
    attempts: peak * (0.55 + 0.45 * Math.sin(2 * Math.PI * (t / DAY - 0.3))),
    errorShare: within(t, bursts, 15) ? 0.1 : 0.003,
    rateLimitedShare: within(t, throttled, 120) ? 0.08 : 0.001,
    clientErrorShare: 0.02,
    latency: within(t, slow, 20 * 60) ? 6 : 2.25 + 0.75 * Math.sin((2 * Math.PI * t) / (6 * HOUR)),
  });
  return { labels, profile, resets: events(seed + 3, 1, DAY, 15), missed: events(seed + 4, 1, DAY, 15) };
}

const flat = (attempts: number, errorShare: number) => (): Rates => ({
  attempts,
  errorShare,
  rateLimitedShare: 0,
  clientErrorShare: 0,
  latency: 2,
});

const DEPLOYMENTS = [
  { provider: 'azure', alias: 'gpt-4o', region: 'eastus' },
  { provider: 'openai', alias: 'gpt-4o', region: 'us' },
  { provider: 'bedrock', alias: 'claude-sonnet', region: 'us-east-1' },
];

export const QUIET_TRACES: QuietTrace[] = [
  {
    name: 'noisy healthy 24 h: 3 deployments, peaks 3, 1, 0.3 req/s, 0.3% 5xx, 0.1% 429, blips',
    durationS: DAY,
    noise: true,
    deployments: DEPLOYMENTS.map((d, i) => noisyDeployment(d, [3, 1, 0.3][i], 1000 + 10 * i)),
  },
  {
    name: 'idle, 6 h (routable, no traffic)',
    durationS: 6 * HOUR,
    noise: false,
    deployments: DEPLOYMENTS.map((labels) => ({ labels, profile: flat(0, 0) })),
  },
  {
    name: 'trickle, 6 h (1 req/min, 5% errors)',
    durationS: 6 * HOUR,
    noise: true,
    deployments: DEPLOYMENTS.map((labels) => ({ labels, profile: flat(1 / 60, 0.05) })),
  },
];

export interface FalseAlerts {
  trace: QuietTrace;
  /** Alert episodes (a series starting to fire), keyed `alertname/severity`; and seconds firing. */
  ours: Map<string, { episodes: number; seconds: number }>;
  baselineA: Map<string, { episodes: number; seconds: number }>;
  baselineB: Map<string, { episodes: number; seconds: number }>;
}

// promtool's query engine caps the samples one query may load, so the day is probed an hour at a time.
const CHUNK_S = 3600;

function probesFor(trace: QuietTrace, intervalS: number, seed: number): TestGroup {
  const firing = 'ALERTS{alertstate="firing",alertname!="Watchdog"}';
  const ends = Array.from({ length: Math.ceil(trace.durationS / CHUNK_S) }, (_, i) =>
    Math.min(trace.durationS, (i + 1) * CHUNK_S),
  );
  return {
    name: `q${seed}`,
    inputSeries: inputSeries({
      durationS: trace.durationS,
      scrapeS: intervalS,
      deployments: trace.deployments,
      random: trace.noise ? seededRandom(seed) : undefined,
    }),
    probes: ends.flatMap((end, i) => {
      const range = `${end - (i === 0 ? 0 : ends[i - 1])}s`;
      return [
        {
          name: 'episodes',
          expr: `count_over_time((${firing} unless ${firing} offset ${intervalS}s)[${range}:${intervalS}s])`,
          evalTimeS: end,
        },
        { name: 'evals', expr: `count_over_time(${firing}[${range}])`, evalTimeS: end },
      ];
    }),
  };
}

function tally(results: ProbeResult[], intervalS: number, keep: (alertname: string) => boolean) {
  const out = new Map<string, { episodes: number; seconds: number }>();
  for (const r of results.filter((x) => keep(x.labels.alertname) && x.labels.alertname !== 'Watchdog')) {
    const where = [r.labels.provider, r.labels.scope].filter(Boolean).join(' ');
    const key = `${r.labels.alertname}${r.labels.severity ? `/${r.labels.severity}` : ''}${where ? ` ${where}` : ''}`;
    const entry = out.get(key) ?? { episodes: 0, seconds: 0 };
    if (r.labels.probe === 'episodes') entry.episodes += r.value;
    else entry.seconds += r.value * intervalS;
    out.set(key, entry);
  }
  return out;
}

export interface QuietSetup {
  dir: string;
  oursAndBaselineA: string[];
  baselineB: string[];
  intervalS: number;
  concurrency: number;
  isBaselineA: (alertname: string) => boolean;
  isBaselineB: (alertname: string) => boolean;
}

export async function measureFalseAlerts(setup: QuietSetup): Promise<FalseAlerts[]> {
  const tasks = QUIET_TRACES.flatMap((trace, i) => {
    const group = () => probesFor(trace, setup.intervalS, 7 + i);
    return [
      () => runProbes(setup.dir, setup.oursAndBaselineA, [group()], setup.intervalS, `quiet-${i}.test.yml`),
      () => runProbes(setup.dir, setup.baselineB, [group()], setup.intervalS, `quiet-${i}-burn.test.yml`),
    ];
  });
  const results = await pool(tasks, setup.concurrency);
  return QUIET_TRACES.map((trace, i) => {
    const [ours, burn] = [results[2 * i], results[2 * i + 1]];
    const isOurs = (a: string) => !setup.isBaselineA(a) && !setup.isBaselineB(a);
    return {
      trace,
      ours: tally(ours, setup.intervalS, isOurs),
      baselineA: tally(ours, setup.intervalS, setup.isBaselineA),
      baselineB: tally(burn, setup.intervalS, setup.isBaselineB),
    };
  });
}
