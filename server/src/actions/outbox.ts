// The router-action outbox: an action is queued in the transaction that makes its transition, so it
// survives a restart, and its idempotency key (decision, transition, action) makes it unique.
import type { Decision } from '@provider-health/schema';
import type { ActionTemplate, Transition } from '../config/types';
import { prepare, type Db } from '../storage/db';

/** What the Handlebars templates see. */
export interface ActionContext {
  alert: { name: string; status: string; labels: Record<string, string>; annotations: Record<string, string> };
  decision: Decision;
  transition: Transition;
}

export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  decisionId: string;
  transition: Transition;
  action: string;
  context: ActionContext;
  attempts: number;
}

export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly templates: ActionTemplate[],
  ) {}

  /** Queues every action subscribed to this transition; returns how many. */
  enqueue(decisionId: string, transition: Transition, context: ActionContext, now: number): number {
    let queued = 0;
    for (const t of this.templates.filter((x) => x.on.includes(transition))) {
      const key = `${decisionId}:${transition}:${t.name}`;
      queued += prepare(
        this.db,
        `INSERT INTO outbox (idempotency_key, decision_id, transition, action, context_json, state, next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
      ).run(key, decisionId, transition, t.name, JSON.stringify(context), now, now).changes;
    }
    return queued;
  }

  due(now: number, limit = 20): OutboxItem[] {
    const rows = prepare(
      this.db,
      "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
    ).all(now, limit) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as number,
      idempotencyKey: r.idempotency_key as string,
      decisionId: r.decision_id as string,
      transition: r.transition as Transition,
      action: r.action as string,
      context: JSON.parse(r.context_json as string),
      attempts: r.attempts as number,
    }));
  }

  nextDueAt(): number | undefined {
    const row = prepare(this.db, "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state = 'pending'").get() as {
      t: number | null;
    };
    return row.t ?? undefined;
  }

  markDone(id: number, now: number): void {
    prepare(this.db, "UPDATE outbox SET state = 'done', attempts = attempts + 1, done_at = ? WHERE id = ?").run(
      now,
      id,
    );
  }

  markFailed(id: number, error: string, nextAttemptAt: number | undefined): void {
    prepare(
      this.db,
      'UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
    ).run(nextAttemptAt === undefined ? 'failed' : 'pending', error, nextAttemptAt ?? 0, id);
  }

  template(name: string): ActionTemplate | undefined {
    return this.templates.find((t) => t.name === name);
  }
}
