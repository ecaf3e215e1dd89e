// The generated promtool test groups (DESIGN §4, issue 2 "Proof"): per SLI an outage of one region, one
// alias failing, a provider absent from the config, and the cases that must stay silent; and traffic stopping.
import { ALERTS, LEVELLED_SLIS, levelsFor, type LevelledSliId, type ResolvedLevels } from '@provider-health/schema';
import { effectiveClear } from '../thresholds';
import { at, type Context } from './context';
import { expAlert, expectedPerPhase, hasNearTie, type ExpAlert } from './expect';
import { allBad, badReplica, profiles } from './profiles';
import { inputSeries, type InputSeries, type StepCounts, type Target } from './trace';

export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
export interface TestGroup {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
}

type Build = (variant: number) => { targets: Target[]; phaseSteps: number[]; name: string; checks?: number[] };

const lowest = (l: { warning?: number; critical: number }) => Math.min(l.warning ?? l.critical, l.critical);

/** SLI ranges of one provider's levels: healthy, between clear and the first level, warning, critical. */
function ranges(sli: LevelledSliId, l: ResolvedLevels) {
  const s = l[sli];
  const clear = effectiveClear(s);
  return {
    healthy: [0, clear] as const,
    held: [clear, lowest(s)] as const,
    warning: [s.warning ?? s.critical, s.critical] as const,
    critical: [s.critical, Infinity] as const,
  };
}

const RADIX = 8;
const VARIANTS = RADIX ** 3;

/** The `slot`-th profile of a scenario takes its own digit of the variant, so the choices vary independently. */
function pick(
  ctx: Context,
  sli: LevelledSliId,
  range: readonly [number, number],
  variant: number,
  slot = 0,
): StepCounts | undefined {
  const c = profiles(sli, range[0], range[1], ctx.n);
  return c.length ? c[(Math.floor(variant / RADIX ** slot) % RADIX) % c.length] : undefined;
}

const target = (provider: string, alias: string, region: string, phases: (StepCounts | null)[]): Target => ({
  provider,
  alias,
  region,
  instance: 'router-1',
  phases,
});

/** Builds with the first variant whose values keep clear of every threshold. */
function settle(ctx: Context, sli: LevelledSliId, build: Build) {
  for (let v = 0; v < VARIANTS; v++) {
    const b = build(v);
    if (!hasNearTie(ctx.t, sli, b.targets, b.phaseSteps.length, ctx.scrape)) return b;
  }
  return undefined;
}

function sliGroup(ctx: Context, sli: LevelledSliId, build: Build, skipped: string[]): TestGroup | undefined {
  const b = settle(ctx, sli, build);
  if (!b || !b.targets.length) {
    skipped.push(`${sli}: ${(build as Build & { scenario?: string }).scenario}`);
    return undefined;
  }
  const expected = expectedPerPhase(ctx.t, sli, b.targets, b.phaseSteps.length, ctx.scrape);
  const ends = b.phaseSteps.map((_, p) => b.phaseSteps.slice(0, p + 1).reduce((a, x) => a + x, 0));
  const tests: AlertTest[] = ends.map((end, p) => ({
    eval_time: at(ctx, end),
    alertname: ALERTS[sli],
    exp_alerts: expected[p],
  }));
  for (const step of b.checks ?? []) {
    const phase = ends.findIndex((end) => step <= end);
    tests.push({ eval_time: at(ctx, step), alertname: ALERTS[sli], exp_alerts: expected[phase] });
  }
  return {
    name: b.name,
    interval: ctx.t.prometheus.scrapeInterval,
    input_series: inputSeries(b.targets, { phaseSteps: b.phaseSteps }),
    alert_rule_test: tests,
  };
}

/** One region fails hard, then eases to between clear and the first level (held), then recovers. */
function regionOutage(ctx: Context, sli: LevelledSliId): Build {
  const r = ranges(sli, levelsFor(ctx.t, ctx.p));
  return (v) => {
    const [healthy, bad, held] = [
      pick(ctx, sli, r.healthy, v),
      pick(ctx, sli, r.critical, v),
      pick(ctx, sli, r.held, v),
    ];
    if (!healthy || !bad || !held) return { targets: [], phaseSteps: [], name: '' };
    const r1 = [healthy, bad, held, healthy];
    const r2 = [healthy, healthy, healthy, healthy];
    const missed = ctx.steady * 2 - 2 * ctx.stepsPerEval;
    const targets = [
      { ...target(ctx.p, ctx.a1, ctx.r1, r1), missed: [missed] },
      { ...target(ctx.p, ctx.a2, ctx.r1, r1), missed: [missed] },
      target(ctx.p, ctx.a1, ctx.r2, r2),
      target(ctx.p, ctx.a2, ctx.r2, r2),
    ];
    return {
      name: `${sli}: an outage of ${ctx.p} in ${ctx.r1} fires naming the region (also across a missed scrape), keeps firing above clear, resolves below it`,
      targets,
      phaseSteps: [ctx.steady, ctx.steady, ctx.steady, ctx.steady],
      checks: [missed + ctx.stepsPerEval],
    };
  };
}

/** One alias fails in every region. */
function aliasFailing(ctx: Context, sli: LevelledSliId): Build {
  const r = ranges(sli, levelsFor(ctx.t, ctx.p, ctx.a1));
  return (v) => {
    const [healthy, bad] = [
      pick(ctx, sli, ranges(sli, levelsFor(ctx.t, ctx.p)).healthy, v),
      pick(ctx, sli, r.critical, v),
    ];
    if (!healthy || !bad) return { targets: [], phaseSteps: [], name: '' };
    return {
      name: `${sli}: ${ctx.a1} of ${ctx.p} failing in every region fires naming the alias`,
      targets: [
        target(ctx.p, ctx.a1, ctx.r1, [healthy, bad]),
        target(ctx.p, ctx.a1, ctx.r2, [healthy, bad]),
        target(ctx.p, ctx.a2, ctx.r1, [healthy, healthy]),
        target(ctx.p, ctx.a2, ctx.r2, [healthy, healthy]),
      ],
      phaseSteps: [ctx.steady, ctx.steady],
    };
  };
}

/** The same degradation at a provider from the file and one absent from it: each judged by its own levels. */
function absentProvider(ctx: Context, sli: LevelledSliId): Build {
  const r = ranges(sli, ctx.t.defaults);
  return (v) => {
    const [healthy, degraded] = [pick(ctx, sli, r.healthy, v, 0), pick(ctx, sli, r.warning, v, 1)];
    if (!healthy || !degraded) return { targets: [], phaseSteps: [], name: '' };
    return {
      name: `${sli}: ${ctx.u}, absent from the config, is judged by the defaults (warning level); ${ctx.p} by its own`,
      targets: [target(ctx.u, ctx.a2, ctx.r1, [healthy, degraded]), target(ctx.p, ctx.a1, ctx.r1, [healthy, degraded])],
      phaseSteps: [ctx.steady, ctx.steady],
    };
  };
}

/** Healthy traffic, an idle provider, traffic below the volume guard, a missed scrape, a reset, replicas. */
function silence(ctx: Context, sli: LevelledSliId): TestGroup | undefined {
  const healthy = pick(ctx, sli, ranges(sli, levelsFor(ctx.t, ctx.p)).healthy, 0);
  if (!healthy) return undefined;
  const steps = ctx.steady * 2;
  // Half the guard, in 1/1024ths of an attempt so the counter values stay exact.
  const low = Math.max(1, Math.floor(ctx.t.defaults.minVolume * ctx.scrape * 512)) / 1024;
  const clear = effectiveClear(levelsFor(ctx.t, ctx.p, ctx.a2)[sli]);
  const targets: Target[] = [
    target(ctx.p, ctx.a1, ctx.r1, [healthy]),
    { ...target(ctx.p, ctx.a1, ctx.r2, [healthy]), missed: [ctx.steady] },
    { ...target(ctx.p, ctx.a2, ctx.r1, [healthy]), resetAt: ctx.steady },
    target(ctx.p, ctx.a2, ctx.r2, [{ success: ctx.n }]),
    { ...target(ctx.p, ctx.a2, ctx.r2, [badReplica(sli, ctx.n, clear)]), instance: 'router-2' },
    target(ctx.idle, ctx.a1, ctx.r1, [{ success: 0 }]),
    target(ctx.lowVolume, ctx.a1, ctx.r1, [allBad(sli, low)]),
  ];
  const tests: AlertTest[] = [];
  for (let step = ctx.stepsPerEval * 4; step <= steps; step += ctx.stepsPerEval * 4) {
    for (const alertname of Object.values(ALERTS)) tests.push({ eval_time: at(ctx, step), alertname, exp_alerts: [] });
  }
  return {
    name: `${sli}: silent on healthy traffic, an idle provider, traffic below the volume guard, a missed scrape, a counter reset and router replicas`,
    interval: ctx.t.prometheus.scrapeInterval,
    input_series: inputSeries(targets, { phaseSteps: [steps] }),
    alert_rule_test: tests,
  };
}

/** A routable provider's traffic stops in one region; a disabled one's stopping stays silent. */
function trafficStops(ctx: Context): TestGroup {
  // Less than the baseline window is enough: avg_over_time averages what there is.
  const hour = ctx.steady * 2;
  const after = ctx.steady + Math.ceil(180 / ctx.scrape);
  const healthy: StepCounts = { success: ctx.n };
  const targets: Target[] = [
    target(ctx.p, ctx.a1, ctx.r1, [healthy, null]),
    target(ctx.p, ctx.a1, ctx.r2, [healthy, healthy]),
    { ...target(ctx.u, ctx.a1, ctx.r1, [healthy, { success: 0 }]), routable: [1, 0] },
    target(ctx.outage, ctx.a1, ctx.r1, [healthy, { success: 0, serverError: ctx.n }]),
  ];
  const floor = levelsFor(ctx.t, ctx.p).traffic.floor;
  const fired = expAlert(
    ctx.t,
    'traffic',
    'floor',
    { scope: 'region', labels: { provider: ctx.p, region: ctx.r1 } },
    0,
    floor,
  );
  const alertname = ALERTS.traffic;
  return {
    name: `traffic: stops for ${ctx.p} in ${ctx.r1} (series gone: counted as zero) and fires there only; silent for ${ctx.u}, not routable, and for ${ctx.outage}, whose error alert explains it`,
    interval: ctx.t.prometheus.scrapeInterval,
    input_series: inputSeries(targets, { phaseSteps: [hour, after] }),
    alert_rule_test: [
      { eval_time: at(ctx, hour), alertname, exp_alerts: [] },
      { eval_time: at(ctx, hour + Math.ceil(60 / ctx.scrape)), alertname, exp_alerts: [] },
      { eval_time: at(ctx, hour + after - (after % ctx.stepsPerEval)), alertname, exp_alerts: [fired] },
    ],
  };
}

/** The test groups, and the scenarios the thresholds leave no room for (e.g. a critical level of 100%). */
export function buildTestGroups(ctx: Context): { groups: TestGroup[]; skipped: string[] } {
  const groups: (TestGroup | undefined)[] = [];
  const skipped: string[] = [];
  for (const sli of LEVELLED_SLIS) {
    for (const scenario of [regionOutage, aliasFailing, absentProvider]) {
      groups.push(sliGroup(ctx, sli, Object.assign(scenario(ctx, sli), { scenario: scenario.name }), skipped));
    }
    const quiet = silence(ctx, sli);
    if (!quiet) skipped.push(`${sli}: silence`);
    groups.push(quiet);
  }
  groups.push(trafficStops(ctx));
  return { groups: groups.filter((g): g is TestGroup => g !== undefined), skipped };
}
