// Prometheus durations ("1m30s") to seconds and back, for test timelines.
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

export function seconds(d: string): number {
  const parts = [...d.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== d) throw new Error(`invalid duration ${JSON.stringify(d)}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
}

export function durationText(s: number): string {
  return `${Math.round(s)}s`;
}
