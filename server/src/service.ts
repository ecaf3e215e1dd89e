// Wires storage, the failover engine, the sources and the background loops into one service.
import type { Deployment, ResolvedThresholds, Windows } from '@provider-health/schema';
import { Outbox } from './actions/outbox';
import { checkTemplates } from './actions/render';
import { ActionWorker } from './actions/worker';
import { AuditLog } from './audit/audit-log';
import type { ServerConfig } from './config/types';
import { confirmRecovery } from './failover/confirm';
import { FailoverEngine, type Judgement } from './failover/engine';
import { FailoverStore } from './failover/store';
import type { AmAlert } from './failover/types';
import { ServerMetrics } from './metrics';
import { AlertmanagerClient } from './sources/alertmanager';
import { TtlCache } from './sources/cache';
import { readPromSnapshot, type PromSnapshot } from './sources/prom-snapshot';
import { PrometheusClient } from './sources/prometheus';
import { openDb, prune, type Db } from './storage/db';
import { GroupCommit } from './storage/group-commit';
import { resolveWindows } from './windows';

const TOPOLOGY_KEY = 'topology';

export interface ReconcileStatus {
  /** Last successful reconcile. */
  at?: number;
  /** Last attempt, successful or not. */
  attemptAt?: number;
  ok: boolean;
  error?: string;
}

export class Service {
  readonly db: Db;
  readonly commit: GroupCommit;
  readonly store: FailoverStore;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly engine: FailoverEngine;
  readonly metrics = new ServerMetrics();
  readonly prometheus: PrometheusClient;
  readonly alertmanager: AlertmanagerClient;
  readonly promCache: TtlCache<PromSnapshot>;
  readonly amCache: TtlCache<AmAlert[]>;
  readonly worker: ActionWorker;
  windows: Windows;
  topology?: Deployment[];
  lastReconcile: ReconcileStatus = { ok: false };
  /** What the last confirmation attempt found per decision, for GET /admin/failover. */
  readonly confirmations = new Map<string, Record<string, unknown>>();
  private timers: NodeJS.Timeout[] = [];
  private confirming = false;
  private savedTopology?: string;
  private stopped = false;
  private reconciling?: Promise<void>;

  constructor(readonly config: ServerConfig) {
    checkTemplates(config.actions.templates);
    this.db = openDb(config.storage.path, config.storage.synchronous);
    this.commit = new GroupCommit(this.db);
    this.store = new FailoverStore(this.db);
    this.audit = new AuditLog(this.db);
    this.outbox = new Outbox(this.db, config.actions.templates);
    this.engine = new FailoverEngine({
      store: this.store,
      audit: this.audit,
      outbox: this.outbox,
      config: config.failover,
      topology: () => this.topology,
      onTransition: (transition) => this.metrics.decisions.inc({ transition }),
    });
    this.windows = resolveWindows(config);
    this.prometheus = new PrometheusClient(config.prometheus.url, config.prometheus.timeoutMs);
    this.alertmanager = new AlertmanagerClient(config.alertmanager.url, config.alertmanager.timeoutMs);
    // Answers may be one TTL staler than the TTL while a refresh runs, so pollers never wait for a source.
    const p = config.prometheus.cacheTtlMs;
    const a = config.alertmanager.cacheTtlMs;
    this.promCache = new TtlCache(() => this.readProm(), p, Math.min(1000, p), p);
    this.amCache = new TtlCache(() => this.alertmanager.activeAlerts(false), a, Math.min(1000, a), a);
    this.worker = new ActionWorker(this.db, this.outbox, this.audit, config.actions, this.metrics);
    // The last topology read survives a restart, so the guards work while Prometheus is still down.
    const saved = this.store.kv(TOPOLOGY_KEY);
    if (saved) this.topology = JSON.parse(saved) as Deployment[];
  }

  /** Reconciles once (so a restart picks up what it missed), then runs the loops. */
  async start(): Promise<void> {
    await this.reconcile();
    this.worker.kick();
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.config.failover.reconcileIntervalMs, () => void this.reconcile());
    every(this.config.failover.confirmIntervalMs, () => void this.confirmEndings());
    every(
      3_600_000,
      () =>
        void this.commit.run(() => prune(this.db, Date.now() - this.config.storage.retentionMs)).catch(() => undefined),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.worker.stop();
    await this.reconciling;
    this.db.close();
  }

  /** Judges a webhook payload's alerts; resolves after their audit rows are committed. */
  async receive(alerts: AmAlert[]): Promise<Judgement[]> {
    await this.promCache.get();
    const results = await this.commit.run(() => this.engine.receive(alerts, 'hook'));
    for (const r of results) this.metrics.notifications.inc({ mark: r.mark });
    this.afterChange();
    return results;
  }

  /** Compares the decisions with Alertmanager's active failover alerts. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async doReconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      this.promCache.invalidate();
      await this.promCache.get();
      const active = await this.alertmanager.activeAlerts(true);
      const results = await this.commit.run(() => this.engine.reconcile(active));
      for (const r of results) this.metrics.notifications.inc({ mark: r.mark });
      this.lastReconcile = { at: Date.now(), attemptAt: Date.now(), ok: true };
      this.metrics.lastReconcile.set(Date.now() / 1000);
    } catch (error) {
      this.metrics.errors.inc({ kind: 'reconcile' });
      this.lastReconcile = { ...this.lastReconcile, attemptAt: Date.now(), ok: false, error: (error as Error).message };
      // Guards may still allow refused decisions (a pin or an ending changed things).
      await this.commit.run(() => this.engine.retryRefused()).catch(() => undefined);
    }
    this.afterChange();
  }

  /** Ends the disabled decisions Prometheus confirms as recovered. */
  async confirmEndings(): Promise<void> {
    if (this.confirming || this.stopped) return;
    this.confirming = true;
    try {
      for (const d of this.engine.awaitingConfirmation()) {
        const c = await confirmRecovery(this.prometheus, d, this.windows[this.config.failover.confirmWindow]);
        this.confirmations.set(d.id, { at: new Date().toISOString(), ...c });
        if (!c.confirmed) continue;
        if (await this.commit.run(() => this.engine.confirmEnd(d.id, c.evidence))) this.confirmations.delete(d.id);
      }
    } catch (error) {
      this.metrics.errors.inc({ kind: 'confirm' });
      this.confirmations.set('last-error', { error: (error as Error).message });
    } finally {
      this.confirming = false;
      this.afterChange();
    }
  }

  /** New thresholds were applied: new windows may rename the recorded rules; cached answers are stale. */
  applyThresholds(resolved: ResolvedThresholds): void {
    this.windows = resolved.windows;
    this.promCache.invalidate();
  }

  private afterChange(): void {
    this.worker.kick();
  }

  private async readProm(): Promise<PromSnapshot> {
    try {
      const snap = await readPromSnapshot(this.prometheus, this.windows.fast);
      const json = JSON.stringify(snap.topology);
      if (!this.stopped && json !== this.savedTopology) {
        this.store.setKv(TOPOLOGY_KEY, json);
        this.savedTopology = json;
      }
      this.topology = snap.topology;
      return snap;
    } catch (error) {
      this.metrics.errors.inc({ kind: 'prometheus' });
      throw error;
    }
  }
}
