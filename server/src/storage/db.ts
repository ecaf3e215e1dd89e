// The one SQLite file behind the audit log, the failover state and the router-action outbox.
//
// WAL mode keeps writers fast and readers unblocked. `synchronous=FULL` (the default here) fsyncs the
// WAL at every commit, so an acknowledged notification survives power loss, not only a killed
// process; `normal` survives SIGKILL but may lose the last commits on power loss. Group commit
// (storage/group-commit.ts) keeps FULL affordable.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE notifications (
     dedup_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
     starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, received_at INTEGER NOT NULL);
   CREATE TABLE resolutions (fingerprint TEXT PRIMARY KEY, starts_at TEXT NOT NULL);
   CREATE TABLE decisions (
     id TEXT PRIMARY KEY, scope_key TEXT NOT NULL, scope_json TEXT NOT NULL, state TEXT NOT NULL,
     since INTEGER NOT NULL, alert TEXT NOT NULL, alerts_json TEXT NOT NULL, probe_rate REAL NOT NULL,
     min_disabled_ms INTEGER NOT NULL, min_disabled_until INTEGER NOT NULL, backoff_level INTEGER NOT NULL,
     created_at INTEGER NOT NULL, ended_at INTEGER, reason TEXT, dry_run INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX decisions_scope ON decisions (scope_key, created_at);
   CREATE INDEX decisions_state ON decisions (state);
   CREATE TABLE decision_events (
     decision_id TEXT NOT NULL, transition TEXT NOT NULL, at INTEGER NOT NULL,
     PRIMARY KEY (decision_id, transition));
   CREATE TABLE overrides (
     scope_key TEXT PRIMARY KEY, scope_json TEXT NOT NULL, pin TEXT NOT NULL, reason TEXT,
     at INTEGER NOT NULL, role TEXT NOT NULL);
   CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, mark TEXT,
     provider TEXT, scope_key TEXT, alert TEXT, fingerprint TEXT, status TEXT, source TEXT, role TEXT,
     decision_id TEXT, detail TEXT);
   CREATE INDEX audit_at ON audit (at);
   CREATE INDEX audit_provider ON audit (provider, at);
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL UNIQUE, decision_id TEXT NOT NULL,
     transition TEXT NOT NULL, action TEXT NOT NULL, context_json TEXT NOT NULL, state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
     created_at INTEGER NOT NULL, done_at INTEGER);
   CREATE INDEX outbox_pending ON outbox (state, next_attempt_at);`,
];

export function openDb(file: string, synchronous: 'full' | 'normal' = 'full'): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database and SQL text (the hot paths run the same few). */
export function prepare(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Deletes dedup keys and finished outbox rows older than the retention; the audit log is kept. */
export function prune(db: Db, olderThan: number): number {
  const a = prepare(db, 'DELETE FROM notifications WHERE received_at < ?').run(olderThan).changes;
  const b = prepare(db, "DELETE FROM outbox WHERE state != 'pending' AND created_at < ?").run(olderThan).changes;
  return a + b;
}
