// Performs queued router actions one at a time, with exponential backoff; every attempt is audited
// (status and error, never headers or body, which may carry tokens).
import type { AuditLog } from '../audit/audit-log';
import type { ServerConfig } from '../config/types';
import type { ServerMetrics } from '../metrics';
import type { Db } from '../storage/db';
import type { Outbox, OutboxItem } from './outbox';
import { renderAction } from './render';

export class ActionWorker {
  private running = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly config: ServerConfig['actions'],
    private readonly metrics: ServerMetrics,
  ) {}

  /** Runs every due action; safe to call often (calls during a run trigger one more run). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch(() => this.metrics.errors.inc({ kind: 'action' }))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const next = this.outbox.nextDueAt();
    if (next === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.kick(), Math.max(10, next - Date.now()));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (
      let batch = this.outbox.due(Date.now());
      batch.length > 0 && !this.stopped;
      batch = this.outbox.due(Date.now())
    ) {
      for (const item of batch) await this.perform(item);
    }
  }

  private async perform(item: OutboxItem): Promise<void> {
    const template = this.outbox.template(item.action);
    let error: string | undefined;
    let status: number | undefined;
    if (!template) error = `action ${item.action} is no longer configured`;
    else {
      try {
        const req = renderAction(template, item.context);
        const res = await fetch(req.url, {
          method: req.method,
          headers: { 'content-type': 'application/json', ...req.headers, 'idempotency-key': item.idempotencyKey },
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
        status = res.status;
        await res.arrayBuffer();
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error =
          (e as Error).name === 'TimeoutError'
            ? `timeout after ${this.config.timeoutMs} ms`
            : // The cause (e.g. ECONNREFUSED host:port) says more than "fetch failed" and carries no path or query.
              `${(e as Error).message}${(e as Error).cause ? `: ${((e as Error).cause as Error).message}` : ''}`;
      }
    }
    this.record(item, status, error);
  }

  private record(item: OutboxItem, status: number | undefined, error: string | undefined): void {
    // Stopping: the row stays pending and is retried, with the same idempotency key, after the restart.
    if (this.stopped) return;
    const now = Date.now();
    const attempt = item.attempts + 1;
    const giveUp = attempt >= this.config.maxAttempts;
    const next =
      error && !giveUp
        ? now + Math.min(this.config.initialBackoffMs * 2 ** item.attempts, this.config.maxBackoffMs)
        : undefined;
    const result = !error ? 'done' : giveUp ? 'failed' : 'retry';
    this.db.transaction(() => {
      if (!error) this.outbox.markDone(item.id, now);
      else this.outbox.markFailed(item.id, error, next);
      this.audit.write({
        kind: 'action',
        provider: item.context.decision.scope.provider,
        decisionId: item.decisionId,
        status: result,
        detail: {
          action: item.action,
          transition: item.transition,
          attempt,
          httpStatus: status ?? null,
          error: error ?? null,
          idempotencyKey: item.idempotencyKey,
          ...(next ? { nextAttemptAt: new Date(next).toISOString() } : {}),
        },
      });
    })();
    this.metrics.routerActions.inc({ result });
    if (error) this.metrics.errors.inc({ kind: 'action' });
  }
}
