// One log line per key per interval, with the count of suppressed repeats: a collector that is down costs
// the router a line a minute, not a line per export.
export type LogSink = (message: string) => void;

export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: LogSink,
    private readonly intervalMs = 60_000,
  ) {}

  log(key: string, message: string, nowMs = Date.now()): void {
    const seen = this.last.get(key);
    if (seen && nowMs - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const extra = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar suppressed)` : '';
    this.last.set(key, { at: nowMs, suppressed: 0 });
    try {
      this.sink(`[provider-health] ${message}${extra}`);
    } catch {
      // A broken logger must not break the router either.
    }
  }
}
