import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log';
import { openDb } from './db';
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
});
