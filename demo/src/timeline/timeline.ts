// Records when each step of an incident first happened and prints it as it happens.
import { STEP_LABELS, STEPS, type StepId } from '../scenario';

export interface StepRecord {
  step: StepId;
  at: Date;
  /** Where the evidence came from ("Prometheus ALERTS", "SMTP catcher"...). */
  evidence: string;
}

export class Timeline {
  private readonly records = new Map<StepId, StepRecord>();
  private readonly listeners = new Set<(r: StepRecord) => void>();

  constructor(readonly startedAt = new Date()) {}

  /** Records a step the first time it is seen; later sightings are ignored. */
  mark(step: StepId, evidence: string, at = new Date()): boolean {
    if (this.records.has(step)) return false;
    const record = { step, at, evidence };
    this.records.set(step, record);
    for (const l of this.listeners) l(record);
    return true;
  }

  has(step: StepId): boolean {
    return this.records.has(step);
  }

  get(step: StepId): StepRecord | undefined {
    return this.records.get(step);
  }

  /** Records in step order (not arrival order), so the summary reads like the incident. */
  all(): StepRecord[] {
    return STEPS.flatMap((s) => (this.records.has(s) ? [this.records.get(s)!] : []));
  }

  onMark(listener: (r: StepRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Seconds from one step to another, when both happened. */
  seconds(from: StepId, to: StepId): number | undefined {
    const a = this.records.get(from);
    const b = this.records.get(to);
    return a && b ? (b.at.getTime() - a.at.getTime()) / 1000 : undefined;
  }

  waitFor(step: StepId, timeoutMs: number): Promise<StepRecord> {
    const done = this.records.get(step);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`step '${step}' (${STEP_LABELS[step]}) not reached within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const off = this.onMark((r) => {
        if (r.step !== step) return;
        clearTimeout(timer);
        off();
        resolve(r);
      });
    });
  }
}
