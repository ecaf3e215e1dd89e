// Prometheus duration syntax (`1m`, `30s`, `1h30m`) to seconds, as thresholds.yaml writes windows.
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

export function parseDurationSeconds(text: string): number {
  const whole = /^((\d+)(ms|s|m|h|d|w|y))+$/;
  if (!whole.test(text))
    throw new Error(`invalid duration "${text}": expected Prometheus syntax such as 30s, 1m, 1h30m`);
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return total;
}
