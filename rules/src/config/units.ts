// Parsers for the value kinds of thresholds.yaml: Prometheus durations, ratios and latency thresholds.
// Each returns either the value or a message plus the fix, so the loader can position it.
import { TOP_FINITE_LATENCY_BUCKET } from '@provider-health/schema';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string };

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
const UNIT_HELP = 'Prometheus duration units: ms, s, m, h, d, w, y, largest first, e.g. "1h30m"';

/** A duration in milliseconds and its canonical Prometheus spelling ("60s" becomes "1m"). */
export interface Duration {
  ms: number;
  text: string;
}

export function parseDuration(raw: unknown): Parsed<Duration> {
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    return { ok: false, message: `duration ${raw} has no unit`, hint: `write "${raw}s" for ${raw} seconds` };
  }
  if (typeof raw !== 'string') {
    return { ok: false, message: `expected a duration like "30s", got ${describe(raw)}` };
  }
  const m = DURATION_RE.exec(raw);
  if (!m || raw === '') {
    return { ok: false, message: `"${raw}" is not a Prometheus duration`, hint: UNIT_HELP };
  }
  const ms = UNITS.reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * MS[unit], 0);
  if (!Number.isSafeInteger(ms)) return { ok: false, message: `duration "${raw}" is too large` };
  return { ok: true, value: { ms, text: formatDuration(ms) } };
}

/** Formats like Prometheus' model.Duration.String, so equal durations always render the same. */
export function formatDuration(totalMs: number): string {
  if (totalMs === 0) return '0s';
  let ms = totalMs;
  let out = '';
  for (const unit of UNITS) {
    const mult = MS[unit];
    // Years and weeks only when exact: "90d" reads better than "12w6d".
    if ((unit === 'y' || unit === 'w') && ms % mult !== 0) continue;
    const v = Math.floor(ms / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      ms -= v * mult;
    }
  }
  return out;
}

const PERCENT_RE = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/** A ratio in 0..1, written as a number or as a percentage string ("5%"). */
export function parseRatio(raw: unknown): Parsed<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0)
      return { ok: false, message: `${describe(raw)} is not a ratio between 0 and 1` };
    if (raw > 1 && raw <= 100) {
      const fraction = roundRatio(raw / 100);
      return { ok: false, message: `ratio ${raw} is above 1`, hint: `did you mean ${raw}% (${fraction})?` };
    }
    if (raw > 1) return { ok: false, message: `ratio ${raw} is above 1`, hint: 'write a ratio in 0..1 or "5%"' };
    return { ok: true, value: raw };
  }
  if (typeof raw === 'string') {
    const m = PERCENT_RE.exec(raw);
    if (!m) {
      return {
        ok: false,
        message: `"${raw}" is not a ratio`,
        hint: 'write a number in 0..1 (0.05) or a percentage ("5%")',
      };
    }
    const pct = Number(m[1]);
    if (pct > 100) return { ok: false, message: `ratio "${raw}" is above 100%` };
    return { ok: true, value: roundRatio(pct / 100) };
  }
  return { ok: false, message: `expected a ratio like 0.05 or "5%", got ${describe(raw)}` };
}

/** Removes binary noise such as 0.07 / 100 = 0.0007000000000000001. */
function roundRatio(x: number): number {
  return Number(x.toPrecision(12));
}

/** A p95 latency threshold in seconds, written as a duration and strictly inside the finite buckets. */
export function parseLatency(raw: unknown): Parsed<number> {
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    return { ok: false, message: `latency threshold ${raw} has no unit`, hint: `write "${raw}s" for ${raw} seconds` };
  }
  const d = parseDuration(raw);
  if (!d.ok) return d;
  const seconds = d.value.ms / 1000;
  if (seconds <= 0) return { ok: false, message: 'latency threshold must be greater than 0s' };
  if (seconds >= TOP_FINITE_LATENCY_BUCKET) {
    return {
      ok: false,
      message: `latency threshold ${raw} is at or above the top finite latency bucket (${TOP_FINITE_LATENCY_BUCKET}s): a p95 there cannot be told apart from +Inf`,
      hint: `use a value below ${TOP_FINITE_LATENCY_BUCKET}s, e.g. "5m"`,
    };
  }
  return { ok: true, value: seconds };
}

/** Names a value's YAML type for messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number' && !Number.isFinite(v))
    return `the number ${Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf'}`;
  return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${String(v)}`;
}
