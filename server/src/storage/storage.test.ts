import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log';
import { openDb, prune } from './db';
import { GroupCommit } from './group-commit';

describe('storage', () => {
  it('uses WAL with FULL synchronous commits and keeps committed rows across a reopen', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ph-db-')), 'state.db');
    const db = openDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const commit = new GroupCommit(db);
    const audit = new AuditLog(db);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => commit.run(() => audit.write({ kind: 'notification', provider: `p${i}` }))),
    );
    db.close();
    const again = openDb(file);
    expect(new AuditLog(again).query({ limit: 100 })).toHaveLength(50);
    again.close();
  });

  it('group commit: one failing piece of work rolls back only itself', async () => {
    const db = openDb(':memory:');
    const commit = new GroupCommit(db);
    const audit = new AuditLog(db);
    const results = await Promise.allSettled([
      commit.run(() => audit.write({ kind: 'notification', provider: 'a' })),
      commit.run(() => {
        audit.write({ kind: 'notification', provider: 'b' });
        throw new Error('boom');
      }),
      commit.run(() => audit.write({ kind: 'notification', provider: 'c' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(
      audit
        .query()
        .map((r) => r.provider)
        .sort(),
    ).toEqual(['a', 'c']);
  });

  it('prunes old dedup keys and keeps the audit log', () => {
    const db = openDb(':memory:');
    const insert = db.prepare('INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('old', 'fp', 'firing', 's', 'e', 1000);
    insert.run('new', 'fp', 'firing', 's', 'e', 5000);
    new AuditLog(db).write({ kind: 'notification' }, 1000);
    expect(prune(db, 2000)).toBe(1);
    expect(db.prepare('SELECT dedup_key FROM notifications').all()).toEqual([{ dedup_key: 'new' }]);
    expect(new AuditLog(db).query()).toHaveLength(1);
  });
});
