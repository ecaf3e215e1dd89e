// A compact fixed-width table for the benchmark's report.

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** "median / worst" seconds over the runs; a run that never fired makes the worst "never". */
export function medianWorst(xs: (number | undefined)[]): string {
  const fired = xs.filter((x): x is number => x !== undefined);
  if (fired.length === 0) return 'never';
  const worst = fired.length < xs.length ? 'never' : `${Math.max(...fired)}s`;
  return `${median(fired)}s / ${worst}`;
}
