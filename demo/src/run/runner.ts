// Plays a scenario against a running stack: load from several tenants, faults phase by phase, and the
// observer marking each step; returns whether every expected step happened and nothing else alerted.
import { LoadGenerator } from '../load/generator';
import { STEP_LABELS, type PhaseSpec, type Scenario, type StepId } from '../scenario';
import type { Stack } from '../stack/stack';
import { Timeline, TimelinePrinter, formatSummary } from '../timeline';
import { applyFaults } from './faults';
import { Observer, type Violation } from './observer';

export interface RunResult {
  passed: boolean;
  timeline: Timeline;
  missing: StepId[];
  violations: Violation[];
  /** Why the run stopped early, when it did. */
  error?: string;
  load: LoadGenerator['stats'];
}

export interface RunOptions {
  printer?: (timeline: Timeline) => TimelinePrinter;
  /** Scales every fixed phase length (tests use shorter calm periods). */
  timeScale?: number;
  seed?: number;
  /**
   * Called once when a phase's `until` step is reached, before its hold; the phase waits for it. Tests use
   * it to act during an incident (restart Prometheus while the provider is disabled).
   */
  whenReached?: Record<string, () => Promise<void>>;
  /** After the last phase, how long to wait for expected steps still missing (resolved notifications). */
  settleSeconds?: number;
}

const PROGRESS_MS = 1_000;

export async function runScenario(stack: Stack, scenario: Scenario, o: RunOptions = {}): Promise<RunResult> {
  const timeline = new Timeline();
  const printer = o.printer?.(timeline);
  const load = new LoadGenerator({ routerUrl: stack.router.url, ...scenario.load, seed: o.seed });
  const observer = new Observer(stack, scenario, timeline);
  const offAttempts = watchOutageStart(stack, scenario, timeline);
  let error: string | undefined;
  load.start();
  observer.start();
  let faulted = false;
  try {
    for (const phase of scenario.phases) {
      const hasFaults = phase.faults.length > 0 || phase.loadFactor === 0 || phase.stoppedAliases.length > 0;
      printer?.line(`── phase '${phase.name}'${describePhase(phase)}`);
      applyFaults(phase.faults, stack.providers, stack.wire);
      load.shape(phase.loadFactor, phase.stoppedAliases);
      if (hasFaults && !faulted) {
        faulted = true;
        outageBegins(timeline, phase);
      } else if (!hasFaults && faulted) observer.recoveryStarted();
      await playPhase(phase, timeline, printer, load, o.timeScale ?? 1, o.whenReached?.[phase.name]);
    }
    await settle(scenario, timeline, printer, o.settleSeconds ?? 60);
  } catch (err) {
    error = (err as Error).message;
    printer?.line(`✘ ${error}`);
  } finally {
    observer.stop();
    offAttempts();
    applyFaults([], stack.providers, stack.wire);
    await load.stop();
  }
  const missing = scenario.expect.steps.filter((s) => !timeline.has(s));
  if (printer) {
    printer.line('\nSummary');
    printer.line(formatSummary(timeline, scenario.expect.steps));
  }
  const passed = !error && missing.length === 0 && observer.violations.length === 0;
  return { passed, timeline, missing, violations: observer.violations, error, load: load.stats };
}

/** Latency and callers-stop phases have no failed request to wait for: the phase start is the outage start. */
function outageBegins(timeline: Timeline, phase: PhaseSpec): void {
  if (!phase.faults.some((f) => f.status !== undefined)) timeline.mark('outage-start', `phase '${phase.name}' began`);
}

function watchOutageStart(stack: Stack, scenario: Scenario, timeline: Timeline): () => void {
  const off = stack.router.routes.onAttempt((e) => {
    if (e.outcome === 'success' || e.deployment.provider !== scenario.expect.provider) return;
    if (timeline.has('outage-start')) return;
    timeline.mark('outage-start', `first failed upstream request to ${e.deployment.provider} (${e.outcome})`, e.at);
    off();
  });
  return off;
}

async function playPhase(
  phase: PhaseSpec,
  timeline: Timeline,
  printer: TimelinePrinter | undefined,
  load: LoadGenerator,
  timeScale: number,
  whenReached: (() => Promise<void>) | undefined,
): Promise<void> {
  const started = Date.now();
  let hookDone = !whenReached;
  let holdFrom: number | undefined;
  const waitingFor = phase.untilStep;
  const deadline = started + (waitingFor ? phase.timeoutSeconds : (phase.durationSeconds ?? 0) * timeScale) * 1000;
  for (;;) {
    const reached = waitingFor ? timeline.get(waitingFor) : undefined;
    if (reached && !hookDone) {
      hookDone = true;
      await whenReached!();
      holdFrom = Date.now();
    }
    if (reached && Date.now() >= (holdFrom ?? reached.at.getTime()) + phase.holdSeconds * 1000) return;
    if (!waitingFor && Date.now() >= deadline) return;
    if (waitingFor && !reached && Date.now() >= deadline) {
      throw new Error(`phase '${phase.name}': ${STEP_LABELS[waitingFor]} not seen within ${phase.timeoutSeconds} s`);
    }
    const s = load.stats;
    const what = waitingFor
      ? reached
        ? `holding ${phase.holdSeconds} s`
        : `waiting for: ${STEP_LABELS[waitingFor]}`
      : 'running';
    printer?.progress(`${phase.name}: ${what} · requests ok ${s.ok}, failed ${s.failed}, in flight ${s.inFlight}`);
    await new Promise((r) => setTimeout(r, PROGRESS_MS));
  }
}

/** Notifications lag the state they report (Alertmanager's group interval); wait for the last ones. */
async function settle(scenario: Scenario, timeline: Timeline, printer: TimelinePrinter | undefined, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const missing = scenario.expect.steps.filter((s) => !timeline.has(s));
    if (missing.length === 0 || Date.now() >= deadline) return;
    printer?.progress(`waiting for: ${missing.map((s) => STEP_LABELS[s]).join(', ')}`);
    await new Promise((r) => setTimeout(r, PROGRESS_MS));
  }
}

function describePhase(p: PhaseSpec): string {
  const parts = p.faults.map((f) => {
    const what = [
      f.status !== undefined && `${Math.round((f.errorRate ?? 1) * 100)}% ${f.status}`,
      f.latencySeconds !== undefined && `+${f.latencySeconds} s latency`,
      f.timeToFirstTokenSeconds !== undefined && `${f.timeToFirstTokenSeconds} s to first token`,
    ].filter(Boolean);
    return `${f.provider}${f.alias ? `/${f.alias}` : ''}: ${what.join(', ')}`;
  });
  if (p.loadFactor !== 1) parts.push(`load ×${p.loadFactor}`);
  if (p.stoppedAliases.length) parts.push(`callers of ${p.stoppedAliases.join(', ')} stop`);
  const length = p.untilStep ? `until ${p.untilStep}` : `${p.durationSeconds} s`;
  return ` (${length}${parts.length ? `; ${parts.join('; ')}` : '; no faults'})`;
}
