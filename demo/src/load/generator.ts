// Open-loop load from several tenants: requests start at a fixed rate whatever the latency, as real
// callers do, with a cap on requests in flight so a slow provider cannot exhaust the machine.
import { seededRandom } from '@provider-health/testkit';
import { PROVIDER_HEADER, TENANT_HEADER } from '../router/http';

export interface LoadOptions {
  routerUrl: string;
  requestsPerSecond: number;
  tenants: string[];
  aliases: string[];
  streamShare: number;
  maxInFlight?: number;
  /** Seeded choice of tenant/alias/stream, so runs are comparable. */
  seed?: number;
}

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  /** Skipped because maxInFlight was reached. */
  shed: number;
  inFlight: number;
  /** Successful requests per serving provider. */
  byProvider: Record<string, number>;
  /** Failed requests per HTTP status (0: no response). */
  byStatus: Record<string, number>;
}

const TICK_MS = 50;

export class LoadGenerator {
  readonly stats: LoadStats = { sent: 0, ok: 0, failed: 0, shed: 0, inFlight: 0, byProvider: {}, byStatus: {} };
  private timer: NodeJS.Timeout | undefined;
  private factor = 1;
  private stoppedAliases = new Set<string>();
  private credit = 0;
  private random: () => number;
  private readonly pending = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: LoadOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  start(): void {
    if (this.timer) return;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.credit += ((now - last) / 1000) * this.options.requestsPerSecond * this.factor;
      last = now;
      for (; this.credit >= 1; this.credit--) this.fire();
    }, TICK_MS);
  }

  /** Scales the rate (0 stops the callers) and stops the callers of some aliases. */
  shape(factor: number, stoppedAliases: string[] = []): void {
    this.factor = factor;
    this.stoppedAliases = new Set(stoppedAliases);
  }

  /** Stops sending and waits for (or aborts, after graceMs) the requests in flight. */
  async stop(graceMs = 2_000): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const timeout = setTimeout(() => this.abort.abort(), graceMs);
    await Promise.allSettled([...this.pending]);
    clearTimeout(timeout);
  }

  private fire(): void {
    const aliases = this.options.aliases.filter((a) => !this.stoppedAliases.has(a));
    if (aliases.length === 0) return;
    if (this.stats.inFlight >= (this.options.maxInFlight ?? 500)) {
      this.stats.shed++;
      return;
    }
    const pick = <T>(xs: T[]) => xs[Math.floor(this.random() * xs.length)];
    const p = this.send(pick(this.options.tenants), pick(aliases), this.random() < this.options.streamShare);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async send(tenant: string, alias: string, stream: boolean): Promise<void> {
    this.stats.sent++;
    this.stats.inFlight++;
    try {
      const res = await fetch(`${this.options.routerUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TENANT_HEADER]: tenant },
        body: JSON.stringify({
          model: alias,
          stream,
          max_tokens: 64,
          messages: [{ role: 'user', content: `hello from ${tenant}` }],
        }),
        signal: this.abort.signal,
      });
      const text = await res.text();
      const streamFailed = stream && text.includes('"error"');
      if (res.ok && !streamFailed) {
        this.stats.ok++;
        const provider = res.headers.get(PROVIDER_HEADER) ?? 'unknown';
        this.stats.byProvider[provider] = (this.stats.byProvider[provider] ?? 0) + 1;
      } else this.failed(res.status);
    } catch {
      this.failed(0);
    } finally {
      this.stats.inFlight--;
    }
  }

  private failed(status: number): void {
    this.stats.failed++;
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }
}
