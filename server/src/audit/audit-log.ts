// The audit log: one row per received alert (with its mark), per decision transition, per router
// action attempt, per override and per settings change. Rows are written in the same transaction as
// the change they describe.
import type { AuditMark } from '@provider-health/schema';
import { prepare, type Db } from '../storage/db';

export type AuditKind = 'notification' | 'decision' | 'action' | 'override' | 'settings' | 'reconcile';

export interface AuditEntry {
  kind: AuditKind;
  mark?: AuditMark;
  provider?: string;
  scopeKey?: string;
  alert?: string;
  fingerprint?: string;
  status?: string;
  source?: string;
  role?: string;
  decisionId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow extends Omit<AuditEntry, 'detail'> {
  id: number;
  at: string;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  provider?: string;
  kind?: AuditKind;
  since?: number;
  until?: number;
  limit?: number;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  write(e: AuditEntry, at = Date.now()): void {
    prepare(
      this.db,
      `INSERT INTO audit (at, kind, mark, provider, scope_key, alert, fingerprint, status, source, role, decision_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      at,
      e.kind,
      e.mark ?? null,
      e.provider ?? null,
      e.scopeKey ?? null,
      e.alert ?? null,
      e.fingerprint ?? null,
      e.status ?? null,
      e.source ?? null,
      e.role ?? null,
      e.decisionId ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
    );
  }

  /** Newest first. */
  query(q: AuditQuery = {}): AuditRow[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    const add = (clause: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      args.push(value);
    };
    add('provider = ?', q.provider || undefined);
    add('kind = ?', q.kind);
    add('at >= ?', q.since);
    add('at < ?', q.until);
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    const rows = prepare(this.db, sql).all(...args, Math.min(q.limit ?? 500, 10_000)) as Array<Record<string, unknown>>;
    return rows.map(toAuditRow);
  }
}

function toAuditRow(r: Record<string, unknown>): AuditRow {
  const row: AuditRow = { id: r.id as number, at: new Date(r.at as number).toISOString(), kind: r.kind as AuditKind };
  const optional: Array<[keyof AuditRow, string]> = [
    ['mark', 'mark'],
    ['provider', 'provider'],
    ['scopeKey', 'scope_key'],
    ['alert', 'alert'],
    ['fingerprint', 'fingerprint'],
    ['status', 'status'],
    ['source', 'source'],
    ['role', 'role'],
    ['decisionId', 'decision_id'],
  ];
  for (const [key, column] of optional)
    if (r[column] !== null) (row as unknown as Record<string, unknown>)[key] = r[column];
  if (r.detail !== null) row.detail = JSON.parse(r.detail as string);
  return row;
}
