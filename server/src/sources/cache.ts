// A value fetched at most once per TTL, with concurrent callers sharing one fetch (single flight).
export interface Cached<T> {
  value?: T;
  error?: Error;
  at: number;
  /** Increments on every refresh, so derived values can be memoised on it. */
  version: number;
}

export class TtlCache<T> {
  private entry: Cached<T> = { at: 0, version: 0 };
  private inflight?: Promise<Cached<T>>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    /** Failures are cached for less time, so a recovered source is noticed quickly. */
    private readonly errorTtlMs = Math.min(1000, ttlMs),
    /**
     * A good value this much past its TTL is still answered while a refresh runs in the background
     * (stale-while-revalidate), so no caller waits for the source; 0 turns that off.
     */
    private readonly maxStaleMs = 0,
  ) {}

  get(now = Date.now()): Promise<Cached<T>> {
    const ttl = this.entry.error ? this.errorTtlMs : this.ttlMs;
    const age = now - this.entry.at;
    if (this.entry.version > 0 && age < ttl) return Promise.resolve(this.entry);
    this.inflight ??= this.refresh();
    if (this.entry.value !== undefined && age < ttl + this.maxStaleMs) return Promise.resolve(this.entry);
    return this.inflight;
  }

  /** Forgets the cached value; the next get fetches. */
  invalidate(): void {
    this.entry = { ...this.entry, at: 0 };
  }

  private async refresh(): Promise<Cached<T>> {
    try {
      const value = await this.load();
      this.entry = { value, at: Date.now(), version: this.entry.version + 1 };
    } catch (error) {
      this.entry = { error: error as Error, value: undefined, at: Date.now(), version: this.entry.version + 1 };
    } finally {
      this.inflight = undefined;
    }
    return this.entry;
  }
}
