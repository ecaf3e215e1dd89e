import { Timeline } from './timeline';
import { TimelinePrinter, formatSummary, type Output } from './printer';

const at = (t0: Date, s: number) => new Date(t0.getTime() + s * 1000);

describe('Timeline', () => {
  it('keeps the first sighting of each step and measures between steps', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const t = new Timeline(t0);
    const waiting = t.waitFor('disabled', 1_000);
    expect(t.mark('outage-start', 'wire', at(t0, 20))).toBe(true);
    expect(t.mark('alert-firing', 'prom', at(t0, 45))).toBe(true);
    expect(t.mark('alert-firing', 'prom', at(t0, 50))).toBe(false);
    t.mark('disabled', 'health API', at(t0, 52.5));
    await expect(waiting).resolves.toMatchObject({ step: 'disabled', evidence: 'health API' });
    expect(t.seconds('outage-start', 'disabled')).toBe(32.5);
    expect(t.all().map((r) => r.step)).toEqual(['outage-start', 'alert-firing', 'disabled']);
    await expect(t.waitFor('probes', 10)).rejects.toThrow(
      "step 'probes' (probe traffic to the disabled provider) not reached within 0.01 s",
    );
  });

  it('prints each step as it happens and a summary that shows missing steps', () => {
    const t0 = new Date();
    const t = new Timeline(t0);
    const written: string[] = [];
    const out: Output = { write: (s) => written.push(s), isTTY: true };
    const printer = new TimelinePrinter(t, out);
    printer.progress('waiting for the alert');
    t.mark('outage-start', 'wire server', at(t0, 10));
    t.mark('alert-firing', 'Prometheus', at(t0, 40));
    expect(written.join('')).toContain('\r\x1b[2K');
    expect(written.join('')).toMatch(/\[ +10\.0 s\] {2}✔ outage start .*\(wire server\)\n/);
    const summary = formatSummary(t, ['outage-start', 'alert-firing', 'disabled']);
    expect(summary.split('\n').slice(1)).toEqual([
      '     0.0 s            outage start (first failed upstream request)',
      '    30.0 s     +30.0  alert firing in Prometheus',
      '         —         —  provider disabled by the server  (NOT REACHED)',
    ]);
  });
});
