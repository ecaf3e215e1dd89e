// Polls the server's health API (DESIGN §5) in the background with the read token; the request path only
// reads the last known view. When the API is unreachable the last decisions stay and staleness is reported.
import { API_PATHS, type Decision, type Deployment, type HealthResponse } from '@provider-health/schema';
import { serverVerdict, viewOf, type ServerView } from './decisions';

export interface HealthClientOptions {
  /** Base URL of the server, e.g. http://server:8080. */
  url: string;
  /** The read token (sent as a bearer token, never logged). */
  token: string;
  /** Poll interval (default 5000 ms). */
  intervalMs?: number;
  /** Per-request timeout (default 2000 ms). */
  timeoutMs?: number;
  /** The view counts as stale after this long without a successful poll (default 3 × interval). */
  staleAfterMs?: number;
  fetch?: typeof fetch;
}

export interface HealthClientStatus {
  /** True once a poll has succeeded and none for staleAfterMs. */
  stale: boolean;
  lastSuccessAt?: Date;
  lastError?: string;
  polls: number;
  failures: number;
}

export interface ServerWord {
  routable: boolean;
  decision?: Decision;
  /** No successful poll yet: fail open (routable) and say so. */
  unknown: boolean;
  stale: boolean;
}

export class HealthClient {
  private view: ServerView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly state: HealthClientStatus = { stale: false, polls: 0, failures: 0 };
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly staleAfterMs: number;
  private readonly doFetch: typeof fetch;

  constructor(
    private readonly options: HealthClientOptions,
    private readonly log: (key: string, message: string) => void,
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.staleAfterMs = options.staleAfterMs ?? 3 * this.intervalMs;
    this.doFetch = options.fetch ?? fetch;
    new URL(API_PATHS.health, options.url); // refuse a bad URL at construction, with the URL's own error
  }

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll now; resolves when done (never rejects). Concurrent calls share the poll in flight. */
  poll(): Promise<void> {
    this.inFlight ??= this.fetchOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  word(d: Deployment, nowMs = Date.now()): ServerWord {
    const stale = this.isStale(nowMs);
    if (!this.view) return { routable: true, unknown: true, stale };
    return { ...serverVerdict(this.view, d), unknown: false, stale };
  }

  status(nowMs = Date.now()): HealthClientStatus {
    return { ...this.state, stale: this.isStale(nowMs) };
  }

  private isStale(nowMs: number): boolean {
    const last = this.state.lastSuccessAt?.getTime();
    return last === undefined ? this.state.failures > 0 : nowMs - last > this.staleAfterMs;
  }

  private async fetchOnce(): Promise<void> {
    this.state.polls++;
    try {
      const res = await this.doFetch(new URL(API_PATHS.health, this.options.url), {
        headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      this.view = viewOf((await res.json()) as HealthResponse);
      this.state.lastSuccessAt = new Date();
      this.state.lastError = undefined;
    } catch (err) {
      this.state.failures++;
      this.state.lastError = err instanceof Error ? err.message : String(err);
      this.log(
        'health-client',
        `health API ${API_PATHS.health} unreachable (${this.state.lastError}); keeping the last known decisions`,
      );
    }
  }
}
