// The in-process rolling health window of one deployment: a ring of per-second slots over the last N seconds,
// judged with the same resolved thresholds, SLIs and minimum-volume guard as the generated rules, so a
// router's breaker can act between Prometheus evaluations.
import {
  ERROR_OUTCOMES,
  EXCLUDED_OUTCOMES,
  LATENCY_BUCKETS_SECONDS,
  OUTCOMES,
  RATE_LIMITED_OUTCOME,
  type LevelledSliId,
  type Levels,
  type Outcome,
  type ResolvedLevels,
} from '@provider-health/schema';
import { bucketIndex } from '../aggregate/cells';
import { bucketQuantile } from './quantile';

const F_TOTAL = 0;
const F_ERRORS = 1;
const F_RATE_LIMITED = 2;
const F_SUCCESS = 3;
const F_LATENCY = 4;
const FIELDS = F_LATENCY + LATENCY_BUCKETS_SECONDS.length + 1;

/** Per outcome index: which counters it adds to. */
const OUTCOME_FLAGS = OUTCOMES.map((o: Outcome) => ({
  counted: !(EXCLUDED_OUTCOMES as readonly Outcome[]).includes(o),
  error: (ERROR_OUTCOMES as readonly Outcome[]).includes(o),
  rateLimited: o === RATE_LIMITED_OUTCOME,
  success: o === 'success',
}));

/** The SLIs the window judges locally (failover rate and traffic need the fleet's view). */
export const LOCAL_SLIS = ['errorRatio', 'rateLimited', 'latencyP95'] as const satisfies readonly LevelledSliId[];
export type LocalSli = (typeof LOCAL_SLIS)[number];

export interface WindowReading {
  /** Attempts per second over the window, canceled excluded. */
  attemptsPerSec: number;
  /** False below the minimum-volume guard: nothing is judged. */
  judged: boolean;
  errorRatio: number | null;
  rateLimited: number | null;
  latencyP95: number | null;
}

export interface WindowVerdict {
  sick: boolean;
  reason: string;
  reading: WindowReading;
}

export class HealthWindow {
  private readonly slots: Float64Array;
  private readonly slotSecond: Float64Array;
  private sick = false;
  private cached: { second: number; verdict: WindowVerdict } | undefined;

  constructor(
    readonly seconds: number,
    private readonly levels: ResolvedLevels,
    /** SLIs whose critical level makes the deployment sick (those configured with failover: true). */
    private readonly actOn: readonly LocalSli[],
    /** Interval between probes while this window holds the deployment back. */
    readonly probeIntervalMs = Infinity,
  ) {
    this.slots = new Float64Array(seconds * FIELDS);
    this.slotSecond = new Float64Array(seconds).fill(-1);
  }

  record(outcomeIndex: number, latencySeconds: number, nowMs: number): void {
    const flags = OUTCOME_FLAGS[outcomeIndex];
    if (!flags.counted) return;
    const base = this.slotFor(Math.floor(nowMs / 1000));
    const s = this.slots;
    s[base + F_TOTAL]++;
    if (flags.error) s[base + F_ERRORS]++;
    else if (flags.rateLimited) s[base + F_RATE_LIMITED]++;
    else if (flags.success) {
      s[base + F_SUCCESS]++;
      s[base + F_LATENCY + bucketIndex(LATENCY_BUCKETS_SECONDS, latencySeconds)]++;
    }
  }

  /** Sums the last `seconds` whole seconds (the current one included) and judges them. Cached per second. */
  verdict(nowMs: number): WindowVerdict {
    const second = Math.floor(nowMs / 1000);
    if (this.cached && this.cached.second === second) return this.cached.verdict;
    const verdict = this.judge(this.read(second));
    this.cached = { second, verdict };
    return verdict;
  }

  read(second: number): WindowReading {
    const sums = new Float64Array(FIELDS);
    for (let i = 0; i < this.seconds; i++) {
      const at = this.slotSecond[i];
      if (at <= second - this.seconds || at > second) continue;
      for (let f = 0; f < FIELDS; f++) sums[f] += this.slots[i * FIELDS + f];
    }
    const total = sums[F_TOTAL];
    const attemptsPerSec = total / this.seconds;
    const judged = total > 0 && attemptsPerSec >= this.levels.minVolume;
    return {
      attemptsPerSec,
      judged,
      errorRatio: total > 0 ? sums[F_ERRORS] / total : null,
      rateLimited: total > 0 ? sums[F_RATE_LIMITED] / total : null,
      latencyP95: bucketQuantile(0.95, LATENCY_BUCKETS_SECONDS, sums.subarray(F_LATENCY)),
    };
  }

  private judge(reading: WindowReading): WindowVerdict {
    if (!reading.judged) {
      this.sick = false;
      return { sick: false, reason: 'below minimum volume', reading };
    }
    const wasSick = this.sick;
    for (const sli of this.actOn) {
      const value = reading[sli];
      if (value === null) continue;
      const lv: Levels = this.levels[sli];
      // Hysteresis as in the alerts: once sick, stay sick until the SLI is under `clear`.
      const bar = wasSick ? (lv.clear ?? lv.warning ?? lv.critical) : lv.critical;
      if (value >= bar) {
        this.sick = true;
        const level = wasSick ? 'clear' : 'critical';
        return { sick: true, reason: `local window: ${sli} ${round(value)} >= ${level} ${bar}`, reading };
      }
    }
    this.sick = false;
    return { sick: false, reason: 'within thresholds', reading };
  }

  private slotFor(second: number): number {
    const i = second % this.seconds;
    if (this.slotSecond[i] !== second) {
      this.slotSecond[i] = second;
      this.slots.fill(0, i * FIELDS, (i + 1) * FIELDS);
    }
    return i * FIELDS;
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
