// Terminal output of a run: one line per step as it happens, a progress line while waiting, and the
// summary with the seconds between steps.
import { STEP_LABELS, type StepId } from '../scenario';
import type { StepRecord, Timeline } from './timeline';

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

export const stdoutOutput: Output = {
  write: (t) => process.stdout.write(t),
  get isTTY() {
    return Boolean(process.stdout.isTTY);
  },
};

const NON_TTY_PROGRESS_EVERY_MS = 15_000;

export class TimelinePrinter {
  private progressShown = false;
  private lastPlainProgress = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly out: Output = stdoutOutput,
  ) {
    timeline.onMark((r) => this.line(`${elapsed(timeline, r.at)}  ✔ ${STEP_LABELS[r.step]}  (${r.evidence})`));
  }

  /** A line that stays (clears the progress line first). */
  line(text: string): void {
    this.clearProgress();
    this.out.write(`${text}\n`);
  }

  /** The "waiting for…" line: rewritten in place on a terminal, printed now and then otherwise. */
  progress(text: string): void {
    const line = `${elapsed(this.timeline, new Date())}  … ${text}`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line}`);
      this.progressShown = true;
    } else if (Date.now() - this.lastPlainProgress >= NON_TTY_PROGRESS_EVERY_MS) {
      this.lastPlainProgress = Date.now();
      this.out.write(`${line}\n`);
    }
  }

  clearProgress(): void {
    if (this.progressShown) this.out.write('\r\x1b[2K');
    this.progressShown = false;
  }
}

function elapsed(t: Timeline, at: Date): string {
  const s = Math.max(0, (at.getTime() - t.startedAt.getTime()) / 1000);
  return `[${s.toFixed(1).padStart(6)} s]`;
}

/** The summary table: every expected step, when it happened relative to the outage and to the step before. */
export function formatSummary(timeline: Timeline, expected: StepId[]): string {
  const origin = timeline.get('outage-start')?.at ?? timeline.startedAt;
  const rows: string[] = [];
  let previous: StepRecord | undefined;
  // In the order things happened: that is how the incident reads, and each delta is then the wait.
  const order = [...expected].sort(
    (a, b) => (timeline.get(a)?.at.getTime() ?? Infinity) - (timeline.get(b)?.at.getTime() ?? Infinity),
  );
  for (const step of order) {
    const r = timeline.get(step);
    if (!r) {
      rows.push(`  ${'—'.padStart(8)}  ${'—'.padStart(8)}  ${STEP_LABELS[step]}  (NOT REACHED)`);
      continue;
    }
    const sinceOutage = ((r.at.getTime() - origin.getTime()) / 1000).toFixed(1);
    const delta = previous ? (r.at.getTime() - previous.at.getTime()) / 1000 : undefined;
    const sincePrev = delta === undefined ? '' : `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`;
    rows.push(`  ${`${sinceOutage} s`.padStart(8)}  ${sincePrev.padStart(8)}  ${STEP_LABELS[step]}`);
    previous = r;
  }
  return [`  ${'t (s)'.padStart(8)}  ${'Δ (s)'.padStart(8)}  step (t from outage start)`, ...rows].join('\n');
}
