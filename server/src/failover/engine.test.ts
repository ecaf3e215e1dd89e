import type { Deployment } from '@provider-health/schema';
import { Outbox } from '../actions/outbox';
import { AuditLog } from '../audit/audit-log';
import { defaultConfig } from '../config/defaults';
import { openDb, type Db } from '../storage/db';
import { alert, resolved } from '../../test/fixtures/alerts';
import { FailoverEngine } from './engine';
import { isRoutable } from './routing';
import { FailoverStore } from './store';

const dep = (provider: string, region: string, alias: string): Deployment => ({ provider, region, alias });
const TOPOLOGY = [
  dep('azure', 'eastus', 'gpt-4o'),
  dep('azure', 'westeu', 'gpt-4o'),
  dep('openai', '', 'gpt-4o'),
  dep('bedrock', 'us-east-1', 'claude'),
  dep('anthropic', '', 'claude'),
];

function setup(opts: { topology?: Deployment[]; maxShare?: number } = {}) {
  const db: Db = openDb(':memory:');
  let now = Date.parse('2026-01-01T00:01:00Z');
  const config = { ...defaultConfig().failover, minDisabledMs: 60_000, maxDisabledMs: 240_000, flapWindowMs: 600_000 };
  config.maxDisabledShare = opts.maxShare ?? 0.75;
  const store = new FailoverStore(db);
  const audit = new AuditLog(db);
  const outbox = new Outbox(db, [
    { name: 'notify', on: ['disabled', 'ended'], url: 'http://x', method: 'POST', headers: {} },
  ]);
  const engine = new FailoverEngine({
    store,
    audit,
    outbox,
    config,
    topology: () => opts.topology ?? TOPOLOGY,
    now: () => now,
  });
  const tx = <T>(f: () => T) => db.transaction(f)();
  return {
    db,
    engine,
    store,
    audit,
    outbox,
    tx,
    advance: (ms: number) => (now += ms),
    now: () => now,
    routable: (d: Deployment) => isRoutable(d, store.activeDecisions(), store.overrides()),
    marks: () =>
      audit
        .query({ kind: 'notification' })
        .reverse()
        .map((r) => r.mark),
    actions: () =>
      db
        .prepare('SELECT idempotency_key AS k FROM outbox ORDER BY id')
        .all()
        .map((r) => (r as { k: string }).k),
  };
}

describe('failover engine', () => {
  it('disables the scope of a firing failover alert and queues its action once', () => {
    const t = setup();
    const a = alert({ provider: 'azure', region: 'eastus' });
    expect(t.tx(() => t.engine.receive([a], 'hook'))[0].mark).toBe('acted');
    expect(t.routable(dep('azure', 'eastus', 'gpt-4o'))).toBe(false);
    expect(t.routable(dep('azure', 'westeu', 'gpt-4o'))).toBe(true);
    expect(t.actions()).toHaveLength(1);
    expect(t.audit.query({ kind: 'decision' }).map((r) => r.status)).toEqual(['disabled']);
  });

  it('marks a duplicate delivery and changes nothing', () => {
    const t = setup();
    const a = alert({ provider: 'azure', region: 'eastus' });
    t.tx(() => t.engine.receive([a], 'hook'));
    t.tx(() => t.engine.receive([a], 'hook'));
    expect(t.marks()).toEqual(['acted', 'duplicate']);
    expect(t.store.activeDecisions()).toHaveLength(1);
    expect(t.actions()).toHaveLength(1);
  });

  it('ignores alerts that are not failover alerts', () => {
    const t = setup();
    t.tx(() =>
      t.engine.receive([alert({ provider: 'azure', region: 'eastus', failover: false, severity: 'warning' })], 'hook'),
    );
    expect(t.marks()).toEqual(['ignored']);
    expect(t.store.activeDecisions()).toHaveLength(0);
  });

  it('treats a firing that arrives after its resolution as stale (resolved before firing)', () => {
    const t = setup();
    const firing = alert({ provider: 'azure', region: 'eastus' });
    t.tx(() => t.engine.receive([resolved(firing)], 'hook'));
    t.tx(() => t.engine.receive([firing], 'hook'));
    expect(t.marks()).toEqual(['ignored', 'stale']);
    expect(t.routable(dep('azure', 'eastus', 'gpt-4o'))).toBe(true);
  });

  it('treats a re-delivered old firing after the resolution as stale, but a new episode acts', () => {
    const t = setup();
    const firing = alert({ provider: 'azure', region: 'eastus' });
    t.tx(() => t.engine.receive([firing], 'hook'));
    t.tx(() => t.engine.receive([resolved(firing)], 'hook'));
    t.tx(() => t.engine.receive([{ ...firing, endsAt: '2026-01-01T00:05:00Z' }], 'hook'));
    const again = { ...firing, startsAt: '2026-01-01T00:20:00Z' };
    t.tx(() => t.engine.receive([again], 'hook'));
    expect(t.marks()).toEqual(['acted', 'acted', 'stale', 'acted']);
  });

  it('ends only after resolution, the minimum disabled time and confirmation, exactly once', () => {
    const t = setup();
    const firing = alert({ provider: 'azure', region: 'eastus' });
    t.tx(() => t.engine.receive([firing], 'hook'));
    t.tx(() => t.engine.receive([resolved(firing)], 'hook'));
    expect(t.engine.awaitingConfirmation()).toHaveLength(0);
    t.advance(60_000);
    const [d] = t.engine.awaitingConfirmation();
    expect(d).toBeDefined();
    expect(t.tx(() => t.engine.confirmEnd(d.id, {}))).toBe(true);
    expect(t.tx(() => t.engine.confirmEnd(d.id, {}))).toBe(false);
    expect(t.routable(dep('azure', 'eastus', 'gpt-4o'))).toBe(true);
    expect(t.actions()).toEqual([`${d.id}:disabled:notify`, `${d.id}:ended:notify`]);
  });

  it('stays disabled while an alert of the scope still fires', () => {
    const t = setup();
    const err = alert({ provider: 'azure', region: 'eastus' });
    const lat = alert({ provider: 'azure', region: 'eastus', alertname: 'ProviderLatencyP95High' });
    t.tx(() => t.engine.receive([err, lat], 'hook'));
    t.tx(() => t.engine.receive([resolved(err)], 'hook'));
    t.advance(120_000);
    expect(t.engine.awaitingConfirmation()).toHaveLength(0);
    expect(t.store.activeDecisions()).toHaveLength(1);
  });

  it('keeps a deployment unroutable until both a provider-level and an alias-level decision end', () => {
    const t = setup();
    const provider = alert({ provider: 'azure', region: 'eastus' });
    const alias = alert({ provider: 'azure', alias: 'gpt-4o', alertname: 'ProviderLatencyP95High' });
    t.tx(() => t.engine.receive([provider, alias], 'hook'));
    const d = dep('azure', 'eastus', 'gpt-4o');
    expect(t.routable(d)).toBe(false);
    t.tx(() => t.engine.receive([resolved(provider)], 'hook'));
    t.advance(60_000);
    const [first] = t.engine.awaitingConfirmation();
    t.tx(() => t.engine.confirmEnd(first.id, {}));
    expect(t.routable(d)).toBe(false);
    t.tx(() => t.engine.receive([resolved(alias)], 'hook'));
    const [second] = t.engine.awaitingConfirmation();
    t.tx(() => t.engine.confirmEnd(second.id, {}));
    expect(t.routable(d)).toBe(true);
  });

  it('refuses to disable the last routable provider of an alias, audits it and retries when another recovers', () => {
    const t = setup();
    const bedrock = alert({ provider: 'bedrock', region: 'us-east-1' });
    const anthropic = alert({ provider: 'anthropic' });
    t.tx(() => t.engine.receive([bedrock], 'hook'));
    expect(t.tx(() => t.engine.receive([anthropic], 'hook'))[0].mark).toBe('refused');
    expect(t.routable(dep('anthropic', '', 'claude'))).toBe(true);
    expect(t.audit.query({ kind: 'decision' })[0].status).toBe('refused');
    t.tx(() => t.engine.receive([resolved(bedrock)], 'hook'));
    t.advance(60_000);
    const [d] = t.engine.awaitingConfirmation();
    t.tx(() => t.engine.confirmEnd(d.id, {}));
    expect(t.routable(dep('bedrock', 'us-east-1', 'claude'))).toBe(true);
    expect(t.routable(dep('anthropic', '', 'claude'))).toBe(false);
  });

  it('refuses beyond the maximum share of an alias disabled at once', () => {
    const t = setup({ maxShare: 0.5 });
    t.tx(() => t.engine.receive([alert({ provider: 'azure', region: 'eastus' })], 'hook'));
    const r = t.tx(() => t.engine.receive([alert({ provider: 'openai' })], 'hook'));
    expect(r[0]).toMatchObject({ mark: 'refused', reason: expect.stringContaining('max share 0.5') });
  });

  it('refuses when the topology was never read', () => {
    const db = openDb(':memory:');
    const engine = new FailoverEngine({
      store: new FailoverStore(db),
      audit: new AuditLog(db),
      outbox: new Outbox(db, []),
      config: defaultConfig().failover,
      topology: () => undefined,
    });
    expect(db.transaction(() => engine.receive([alert({ provider: 'azure' })], 'hook'))()[0].mark).toBe('refused');
  });

  it('doubles the minimum disabled time when a scope is disabled again soon after ending, and resets later', () => {
    const t = setup();
    const cycle = (startsAt: string) => {
      const a = alert({ provider: 'azure', region: 'eastus', startsAt });
      t.tx(() => t.engine.receive([a], 'hook'));
      const d = t.store.activeDecisions()[0];
      t.tx(() => t.engine.receive([resolved(a)], 'hook'));
      t.advance(d.minDisabledMs);
      t.tx(() => t.engine.confirmEnd(d.id, {}));
      return d.minDisabledMs;
    };
    expect(cycle('2026-01-01T00:00:00Z')).toBe(60_000);
    expect(cycle('2026-01-01T00:02:00Z')).toBe(120_000);
    expect(cycle('2026-01-01T00:05:00Z')).toBe(240_000);
    expect(cycle('2026-01-01T00:10:00Z')).toBe(240_000);
    t.advance(600_001);
    expect(cycle('2026-01-01T01:00:00Z')).toBe(60_000);
  });

  it('in dry-run decides and audits but keeps the deployment routable and performs no action', () => {
    const t = setup();
    t.tx(() => t.store.setDryRun(true));
    t.tx(() => t.engine.receive([alert({ provider: 'azure', region: 'eastus' })], 'hook'));
    const [d] = t.store.activeDecisions();
    expect(d).toMatchObject({ state: 'disabled', dryRun: true });
    expect(t.routable(dep('azure', 'eastus', 'gpt-4o'))).toBe(true);
    expect(t.actions()).toHaveLength(0);
    expect(t.audit.query({ kind: 'action' })[0].detail).toMatchObject({ skipped: 'dry-run' });
  });

  it('lets a manual pin win over alerts', () => {
    const t = setup();
    const scope = { provider: 'azure', region: 'eastus' };
    t.tx(() =>
      t.store.setOverride({
        scopeKey: 'provider=azure,region=eastus',
        scope,
        pin: 'routable',
        at: t.now(),
        role: 'admin',
      }),
    );
    t.tx(() => t.engine.receive([alert(scope)], 'hook'));
    expect(t.routable(dep('azure', 'eastus', 'gpt-4o'))).toBe(true);
    t.tx(() =>
      t.store.setOverride({
        scopeKey: 'provider=openai',
        scope: { provider: 'openai' },
        pin: 'disabled',
        at: t.now(),
        role: 'admin',
      }),
    );
    expect(t.routable(dep('openai', '', 'gpt-4o'))).toBe(false);
  });

  it('reconciles: a missed firing opens a decision, a vanished alert resolves', () => {
    const t = setup();
    const a = alert({ provider: 'azure', region: 'eastus' });
    t.tx(() => t.engine.reconcile([a]));
    expect(t.store.activeDecisions()).toHaveLength(1);
    t.tx(() => t.engine.reconcile([a]));
    expect(t.audit.query({ kind: 'notification' })).toHaveLength(1);
    t.tx(() => t.engine.reconcile([]));
    expect(t.marks()).toEqual(['acted', 'acted']);
    expect(Object.values(t.store.activeDecisions()[0].alerts)[0].firing).toBe(false);
    // The synthetic resolution is not remembered: the real firing re-sent by Alertmanager is not stale.
    expect(t.tx(() => t.engine.receive([{ ...a, endsAt: '2026-01-01T00:09:00Z' }], 'hook'))[0].mark).toBe('acted');
  });
});
