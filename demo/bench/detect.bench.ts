// Time to detect a hard Azure outage, end to end on real processes, over several runs of the default
// scenario (each on a fresh stack): from the first failed upstream request to the server's disable,
// split into scrape, evaluation, `for`, Alertmanager grouping + sending, and delivery to the router.
import { ALERTS, INSTRUMENTS, LABELS } from '@provider-health/schema';
import { DEFAULT_SCENARIO, loadScenario, type Scenario } from '../src/scenario';
import { startStack } from '../src/stack/stack';
import { runScenario } from '../src/run/runner';
import { auditRows } from '../test/support/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const RUNS = Number(process.env.DETECT_RUNS ?? 5);
const TARGET_MEDIAN_S = 45;

interface Split {
  total: number;
  localWindow: number;
  scrape: number;
  evaluation: number;
  for: number;
  grouping: number;
  delivery: number;
}

/** The default scenario up to the disable: recovery is not part of time to detect. */
function untilDisabled(s: Scenario): Scenario {
  const outage = s.phases.find((p) => p.faults.length > 0)!;
  return {
    ...s,
    phases: s.phases.slice(0, s.phases.indexOf(outage)).concat({ ...outage, untilStep: 'disabled', holdSeconds: 0 }),
    expect: { ...s.expect, steps: ['outage-start', 'alert-firing', 'disabled'] },
  };
}

/** Time of the earliest raw sample of a selector (a matrix, which testkit's promQuery does not read). */
async function firstSampleAt(url: string, expr: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: `${expr}[10m]` })}`);
  const body = (await res.json()) as { data: { result: Array<{ values: [number, string][] }> } };
  const times = body.data.result.flatMap((r) => r.values.map((v) => v[0]));
  return times.length ? Math.min(...times) * 1000 : NaN;
}

async function oneRun(i: number): Promise<Split> {
  const stack = await startStack();
  try {
    const r = await runScenario(stack, untilDisabled(loadScenario(DEFAULT_SCENARIO)), {
      seed: 100 + i,
      settleSeconds: 0,
    });
    if (!r.timeline.has('disabled')) throw new Error(`run ${i}: not disabled (${r.error ?? r.missing.join(', ')})`);
    const t0 = r.timeline.get('outage-start')!.at.getTime();
    const p = stack.urls.prometheus;
    const errors = `${INSTRUMENTS.requests.prometheus}{${LABELS.provider}="azure",${LABELS.outcome}="server_error"}`;
    const critical = `ALERTS{alertname="${ALERTS.errorRatio}",${LABELS.provider}="azure",severity="critical"`;
    const scraped = await firstSampleAt(p, errors);
    const pending = await firstSampleAt(p, `${critical},alertstate="pending"}`);
    const firing = await firstSampleAt(p, `${critical},alertstate="firing"}`);
    const notified = (await auditRows(stack, 'azure'))
      .filter((row) => row.kind === 'notification' && row.mark === 'acted')
      .map((row) => new Date(row.at).getTime())
      .sort((a, b) => a - b)[0];
    const disabled = r.timeline.get('disabled')!.at.getTime();
    const moved = r.timeline.get('traffic-moved')?.at.getTime() ?? NaN;
    const s = (a: number, b: number) => (b - a) / 1000;
    return {
      total: s(t0, disabled),
      localWindow: s(t0, moved),
      scrape: s(t0, scraped),
      evaluation: s(scraped, pending),
      for: s(pending, firing),
      grouping: s(firing, notified),
      delivery: s(notified, disabled),
    };
  } finally {
    await stack.stop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const runs: Split[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await oneRun(i));
    const r = runs[i];
    console.log(
      `run ${i + 1}/${RUNS}: ${r.total.toFixed(1)} s to disable (local window ${r.localWindow.toFixed(1)} s)`,
    );
  }
  const cols: Array<keyof Split> = ['total', 'scrape', 'evaluation', 'for', 'grouping', 'delivery', 'localWindow'];
  console.log(
    '\nTime to detect, default scenario (azure 100% 503), seconds; demo intervals: scrape/eval 5s, for 10s, group_wait 2s',
  );
  console.log(`  ${'part'.padEnd(12)} ${'median'.padStart(7)} ${'worst'.padStart(7)}`);
  for (const c of cols) {
    const xs = runs.map((r) => r[c]);
    console.log(
      `  ${c.padEnd(12)} ${median(xs).toFixed(1).padStart(7)} ${Math.max(...xs)
        .toFixed(1)
        .padStart(7)}`,
    );
  }
  const m = median(runs.map((r) => r.total));
  console.log(
    `  target: median < ${TARGET_MEDIAN_S} s → ${m < TARGET_MEDIAN_S ? 'met' : 'NOT met'} (${m.toFixed(1)} s over ${RUNS} runs)`,
  );
  console.log('  scrape: first failed request → first scrape holding it; evaluation: → alert pending (includes');
  console.log('  the second sample rate() needs); for: pending → firing; grouping: firing → notification at the');
  console.log('  server (Alertmanager group_wait + send); delivery: → disable visible in the health API (poll 1 s).');
  console.log("  localWindow: the router's in-process window stops sending to azure (before any alert).");
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
