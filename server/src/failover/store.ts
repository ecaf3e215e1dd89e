// SQL behind the failover state: decisions, their transitions, manual pins and the dedup/stale memory.
import type { DecisionState } from '@provider-health/schema';
import { prepare, type Db } from '../storage/db';
import type { DecisionRecord, Override, Pin } from './types';

interface DecisionRow {
  id: string;
  scope_key: string;
  scope_json: string;
  state: DecisionState;
  since: number;
  alert: string;
  alerts_json: string;
  probe_rate: number;
  min_disabled_ms: number;
  min_disabled_until: number;
  backoff_level: number;
  created_at: number;
  ended_at: number | null;
  reason: string | null;
  dry_run: number;
}

const fromRow = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  scopeKey: r.scope_key,
  scope: JSON.parse(r.scope_json),
  state: r.state,
  since: r.since,
  alert: r.alert,
  alerts: JSON.parse(r.alerts_json),
  probeRatePerMin: r.probe_rate,
  minDisabledMs: r.min_disabled_ms,
  minDisabledUntil: r.min_disabled_until,
  backoffLevel: r.backoff_level,
  createdAt: r.created_at,
  endedAt: r.ended_at ?? undefined,
  reason: r.reason ?? undefined,
  dryRun: r.dry_run === 1,
});

export class FailoverStore {
  /** Bumped on every change, so readers can cache what they derive from the state. */
  version = 0;

  constructor(readonly db: Db) {}

  seenNotification(key: string): boolean {
    return prepare(this.db, 'SELECT 1 FROM notifications WHERE dedup_key = ?').get(key) !== undefined;
  }

  rememberNotification(key: string, a: { fingerprint: string; status: string; startsAt: string; endsAt: string }) {
    prepare(this.db, 'INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?)').run(
      key,
      a.fingerprint,
      a.status,
      a.startsAt,
      a.endsAt,
      Date.now(),
    );
  }

  /** startsAt of the latest resolution seen for a fingerprint. */
  resolvedStartsAt(fingerprint: string): string | undefined {
    const row = prepare(this.db, 'SELECT starts_at FROM resolutions WHERE fingerprint = ?').get(fingerprint) as
      { starts_at: string } | undefined;
    return row?.starts_at;
  }

  rememberResolution(fingerprint: string, startsAt: string): void {
    prepare(
      this.db,
      `INSERT INTO resolutions VALUES (?, ?) ON CONFLICT (fingerprint) DO UPDATE SET starts_at = excluded.starts_at
         WHERE excluded.starts_at > resolutions.starts_at`,
    ).run(fingerprint, startsAt);
  }

  activeDecisions(): DecisionRecord[] {
    const rows = prepare(
      this.db,
      "SELECT * FROM decisions WHERE state != 'ended' ORDER BY created_at, id",
    ).all() as DecisionRow[];
    return rows.map(fromRow);
  }

  /** State and scope of every active decision, without the alerts (what the guards need). */
  activeScopes(): Array<Pick<DecisionRecord, 'id' | 'state' | 'scope'>> {
    const rows = prepare(this.db, "SELECT id, state, scope_json FROM decisions WHERE state != 'ended'").all() as Array<{
      id: string;
      state: DecisionState;
      scope_json: string;
    }>;
    return rows.map((r) => ({ id: r.id, state: r.state, scope: JSON.parse(r.scope_json) }));
  }

  activeForScope(scopeKey: string): DecisionRecord | undefined {
    const row = prepare(this.db, "SELECT * FROM decisions WHERE scope_key = ? AND state != 'ended'").get(scopeKey) as
      DecisionRow | undefined;
    return row && fromRow(row);
  }

  lastEnded(scopeKey: string): DecisionRecord | undefined {
    const row = prepare(
      this.db,
      "SELECT * FROM decisions WHERE scope_key = ? AND state = 'ended' ORDER BY ended_at DESC LIMIT 1",
    ).get(scopeKey) as DecisionRow | undefined;
    return row && fromRow(row);
  }

  get(id: string): DecisionRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM decisions WHERE id = ?').get(id) as DecisionRow | undefined;
    return row && fromRow(row);
  }

  save(d: DecisionRecord): void {
    prepare(
      this.db,
      `INSERT INTO decisions VALUES (@id, @scopeKey, @scope, @state, @since, @alert, @alerts, @probe, @minMs, @until,
           @level, @createdAt, @endedAt, @reason, @dryRun)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, since = excluded.since, alerts_json = excluded.alerts_json,
           min_disabled_until = excluded.min_disabled_until, ended_at = excluded.ended_at, reason = excluded.reason,
           dry_run = excluded.dry_run`,
    ).run({
      id: d.id,
      scopeKey: d.scopeKey,
      scope: JSON.stringify(d.scope),
      state: d.state,
      since: d.since,
      alert: d.alert,
      alerts: JSON.stringify(d.alerts),
      probe: d.probeRatePerMin,
      minMs: d.minDisabledMs,
      until: d.minDisabledUntil,
      level: d.backoffLevel,
      createdAt: d.createdAt,
      endedAt: d.endedAt ?? null,
      reason: d.reason ?? null,
      dryRun: d.dryRun ? 1 : 0,
    });
    this.version++;
  }

  /** Records a transition; the primary key makes a transition happen at most once per decision. */
  recordTransition(decisionId: string, transition: DecisionState, at: number): void {
    prepare(this.db, 'INSERT INTO decision_events VALUES (?, ?, ?)').run(decisionId, transition, at);
  }

  hadTransition(decisionId: string, transition: DecisionState): boolean {
    return (
      prepare(this.db, 'SELECT 1 FROM decision_events WHERE decision_id = ? AND transition = ?').get(
        decisionId,
        transition,
      ) !== undefined
    );
  }

  overrides(): Override[] {
    const rows = prepare(this.db, 'SELECT * FROM overrides ORDER BY scope_key').all() as Array<{
      scope_key: string;
      scope_json: string;
      pin: Pin;
      reason: string | null;
      at: number;
      role: string;
    }>;
    return rows.map((r) => ({
      scopeKey: r.scope_key,
      scope: JSON.parse(r.scope_json),
      pin: r.pin,
      reason: r.reason ?? undefined,
      at: r.at,
      role: r.role,
    }));
  }

  setOverride(o: Override): void {
    prepare(
      this.db,
      `INSERT INTO overrides VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_key) DO UPDATE SET pin = excluded.pin,
         reason = excluded.reason, at = excluded.at, role = excluded.role`,
    ).run(o.scopeKey, JSON.stringify(o.scope), o.pin, o.reason ?? null, o.at, o.role);
    this.version++;
  }

  removeOverride(scopeKey: string): boolean {
    const changed = prepare(this.db, 'DELETE FROM overrides WHERE scope_key = ?').run(scopeKey).changes > 0;
    this.version++;
    return changed;
  }

  /** A small persisted value (the last topology read, the dry-run switch). */
  kv(key: string): string | undefined {
    const row = prepare(this.db, 'SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setKv(key: string, value: string): void {
    prepare(this.db, 'INSERT INTO kv VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
  }

  dryRun(): boolean | undefined {
    const row = prepare(this.db, "SELECT value FROM kv WHERE key = 'dryRun'").get() as { value: string } | undefined;
    return row ? row.value === 'true' : undefined;
  }

  setDryRun(on: boolean): void {
    prepare(this.db, "INSERT INTO kv VALUES ('dryRun', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      String(on),
    );
    this.version++;
  }
}
