// The failover state machine of DESIGN §5. Every method runs inside the caller's transaction and
// reads and writes SQLite only, so a rolled-back batch leaves no trace in memory.
//
//   (none) --firing, guards ok--> disabled --alerts resolved + Prometheus confirms + min time--> ended
//   (none) --firing, guard refuses--> refused --guards ok on retry--> disabled
//   refused --all alerts resolved--> ended
import { randomUUID } from 'node:crypto';
import { COMPONENT, ALERT_LABELS, type AuditMark, type Deployment } from '@provider-health/schema';
import type { AuditLog } from '../audit/audit-log';
import type { Outbox } from '../actions/outbox';
import type { ServerConfig, Transition } from '../config/types';
import { checkGuards } from './guards';
import { toApiDecision } from './present';
import { scopeFromLabels, scopeKey } from './scope';
import type { FailoverStore } from './store';
import type { AmAlert, DecisionRecord } from './types';

export type AlertSource = 'hook' | 'reconcile';

export interface Judgement {
  mark: AuditMark;
  reason?: string;
  decisionId?: string;
}

export interface EngineDeps {
  store: FailoverStore;
  audit: AuditLog;
  outbox: Outbox;
  config: ServerConfig['failover'];
  topology: () => Deployment[] | undefined;
  now?: () => number;
  onTransition?: (t: Transition) => void;
}

/** Alertmanager's identity of one notification about one alert. */
export const dedupKey = (a: AmAlert) => [a.fingerprint, a.status, a.startsAt, a.endsAt].join('|');
const ms = (iso: string) => Date.parse(iso);

export class FailoverEngine {
  private readonly now: () => number;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? Date.now;
  }

  get store(): FailoverStore {
    return this.deps.store;
  }

  dryRun(): boolean {
    return this.deps.store.dryRun() ?? this.deps.config.dryRun;
  }

  /** Judges each alert on its own and writes its audit row. */
  receive(alerts: AmAlert[], source: AlertSource): Judgement[] {
    const results = alerts.map((a) => {
      const j = this.judge(a, source);
      this.deps.audit.write({
        kind: 'notification',
        mark: j.mark,
        provider: a.labels.provider,
        scopeKey: scopeFromLabels(a.labels) && scopeKey(scopeFromLabels(a.labels)!),
        alert: a.labels.alertname,
        fingerprint: a.fingerprint,
        status: a.status,
        source,
        decisionId: j.decisionId,
        detail: { startsAt: a.startsAt, endsAt: a.endsAt, ...(j.reason ? { reason: j.reason } : {}) },
      });
      return j;
    });
    // No retry of refused decisions here: a new disable or a resolution never frees capacity; endings,
    // pins and the reconcile do, and retry there.
    return results;
  }

  private judge(a: AmAlert, source: AlertSource): Judgement {
    const key = dedupKey(a);
    if (this.store.seenNotification(key))
      return { mark: 'duplicate', reason: 'same fingerprint, status, startsAt, endsAt' };
    this.store.rememberNotification(key, a);
    if (a.labels[ALERT_LABELS.component] !== COMPONENT || a.labels[ALERT_LABELS.failover] !== 'true') {
      return { mark: 'ignored', reason: 'not a failover alert (needs component and failover="true")' };
    }
    const scope = scopeFromLabels(a.labels);
    if (!scope) return { mark: 'ignored', reason: 'no provider label' };
    if (a.status === 'firing') {
      const resolvedAt = this.store.resolvedStartsAt(a.fingerprint);
      if (resolvedAt !== undefined && ms(a.startsAt) <= ms(resolvedAt)) {
        return { mark: 'stale', reason: `a resolution of the episode starting ${resolvedAt} was already received` };
      }
      return this.fire(a, scopeKey(scope), source);
    }
    // Reconcile's synthetic resolutions are not remembered: a real re-sent firing must not look stale.
    if (source === 'hook') this.rememberResolution(a);
    return this.resolve(a, scopeKey(scope));
  }

  private rememberResolution(a: AmAlert): void {
    const seen = this.store.resolvedStartsAt(a.fingerprint);
    if (seen === undefined || ms(a.startsAt) > ms(seen)) this.store.rememberResolution(a.fingerprint, a.startsAt);
  }

  private fire(a: AmAlert, key: string, source: AlertSource): Judgement {
    const existing = this.store.activeForScope(key);
    if (!existing) return this.open(a, key);
    const known = existing.alerts[a.fingerprint];
    if (known?.firing && ms(known.startsAt) >= ms(a.startsAt)) {
      return {
        mark: 'duplicate',
        reason: `repeat of an alert decision ${existing.id} already holds`,
        decisionId: existing.id,
      };
    }
    existing.alerts[a.fingerprint] = this.alertOf(a);
    this.store.save(existing);
    if (existing.state === 'refused') return this.tryDisable(existing, source);
    return { mark: 'acted', reason: 'alert joined the active decision', decisionId: existing.id };
  }

  private open(a: AmAlert, key: string): Judgement {
    const now = this.now();
    const level = this.backoffLevel(key, now);
    const minDisabledMs = Math.min(this.deps.config.minDisabledMs * 2 ** level, this.deps.config.maxDisabledMs);
    const d: DecisionRecord = {
      id: randomUUID(),
      scopeKey: key,
      scope: scopeFromLabels(a.labels)!,
      state: 'refused',
      since: now,
      alert: a.labels.alertname ?? '',
      alerts: { [a.fingerprint]: this.alertOf(a) },
      probeRatePerMin: this.deps.config.probeRatePerMin,
      minDisabledMs,
      minDisabledUntil: now + minDisabledMs,
      backoffLevel: level,
      createdAt: now,
      dryRun: this.dryRun(),
    };
    return this.tryDisable(d, 'hook', true);
  }

  /** Level of the minimum disabled time: one more than the last decision's when it ended recently. */
  private backoffLevel(key: string, now: number): number {
    const last = this.store.lastEnded(key);
    if (!last?.endedAt || !this.store.hadTransition(last.id, 'disabled')) return 0;
    return now - last.endedAt <= this.deps.config.flapWindowMs ? last.backoffLevel + 1 : 0;
  }

  private tryDisable(d: DecisionRecord, _source: AlertSource, isNew = false): Judgement {
    const guard = checkGuards(d.scope, {
      topology: this.deps.topology(),
      decisions: this.store.activeScopes().filter((x) => x.id !== d.id),
      overrides: this.store.overrides(),
      maxDisabledShare: this.deps.config.maxDisabledShare,
    });
    if (!guard.ok) {
      const changed = isNew || d.reason !== guard.reason;
      d.reason = guard.reason;
      this.store.save(d);
      if (isNew) this.transition(d, 'refused');
      else if (changed) this.auditDecision(d, 'refused', { reason: guard.reason, retry: true });
      return { mark: 'refused', reason: guard.reason, decisionId: d.id };
    }
    const now = this.now();
    d.state = 'disabled';
    d.since = now;
    d.minDisabledUntil = now + d.minDisabledMs;
    d.reason = undefined;
    this.store.save(d);
    this.transition(d, 'disabled');
    return { mark: 'acted', decisionId: d.id };
  }

  private resolve(a: AmAlert, key: string): Judgement {
    const d = this.store.activeForScope(key);
    const known = d?.alerts[a.fingerprint];
    if (!d || !known) return { mark: 'ignored', reason: 'no active decision holds this alert' };
    if (ms(a.startsAt) < ms(known.startsAt)) {
      return { mark: 'stale', reason: 'resolution of an earlier episode', decisionId: d.id };
    }
    if (!known.firing) return { mark: 'duplicate', reason: 'alert already resolved', decisionId: d.id };
    known.firing = false;
    this.store.save(d);
    if (d.state === 'refused' && !hasFiring(d))
      this.end(d, { reason: 'alerts resolved before the guards allowed disabling' });
    return { mark: 'acted', reason: 'alert resolved; ending awaits confirmation from Prometheus', decisionId: d.id };
  }

  /** Disabled decisions whose alerts all resolved and whose minimum disabled time passed. */
  awaitingConfirmation(): DecisionRecord[] {
    const now = this.now();
    return this.store
      .activeDecisions()
      .filter((d) => d.state === 'disabled' && !hasFiring(d) && now >= d.minDisabledUntil);
  }

  /** Ends a decision Prometheus confirmed; re-checks it is still eligible (an alert may have re-fired). */
  confirmEnd(id: string, evidence: Record<string, unknown>): boolean {
    const d = this.store.get(id);
    if (!d || d.state !== 'disabled' || hasFiring(d) || this.now() < d.minDisabledUntil) return false;
    this.end(d, evidence);
    this.retryRefused();
    return true;
  }

  /** Retries refused decisions that still have a firing alert: the guards may allow them now. */
  retryRefused(): void {
    const refused = this.store.activeDecisions().filter((d) => d.state === 'refused' && hasFiring(d));
    if (refused.length === 0 || !this.deps.topology()) return;
    for (const d of refused) this.tryDisable(d, 'reconcile');
  }

  /**
   * Compares decisions with Alertmanager's active failover alerts: alerts a decision lacks are judged
   * as firing notifications; alerts a decision holds that are no longer active are judged resolved.
   */
  reconcile(active: AmAlert[]): Judgement[] {
    const decisions = this.store.activeDecisions();
    const held = new Map<string, string>();
    for (const d of decisions) for (const [fp, a] of Object.entries(d.alerts)) if (a.firing) held.set(fp, a.startsAt);
    const activeFps = new Set(active.map((a) => a.fingerprint));
    const missing = active.filter((a) => held.get(a.fingerprint) === undefined);
    const gone: AmAlert[] = [];
    for (const d of decisions) {
      for (const [fp, a] of Object.entries(d.alerts)) {
        if (!a.firing || activeFps.has(fp)) continue;
        gone.push({
          status: 'resolved',
          labels: a.labels,
          annotations: {},
          startsAt: a.startsAt,
          endsAt: 'reconcile',
          fingerprint: fp,
        });
      }
    }
    const results = this.receive([...missing, ...gone], 'reconcile');
    this.retryRefused();
    return results;
  }

  private end(d: DecisionRecord, evidence: Record<string, unknown>): void {
    const wasDisabled = d.state === 'disabled';
    d.state = 'ended';
    d.endedAt = this.now();
    this.store.save(d);
    this.transition(d, 'ended', evidence, wasDisabled);
  }

  private transition(d: DecisionRecord, t: Transition, evidence: Record<string, unknown> = {}, act = true): void {
    const now = this.now();
    this.store.recordTransition(d.id, t, now);
    this.auditDecision(d, t, { ...evidence, ...(d.reason ? { reason: d.reason } : {}) });
    this.deps.onTransition?.(t);
    if (!act) return;
    const alert = d.alerts[Object.keys(d.alerts)[0]];
    const context = {
      alert: {
        name: d.alert,
        status: alert?.firing ? 'firing' : 'resolved',
        labels: alert?.labels ?? {},
        annotations: {},
      },
      decision: toApiDecision(d),
      transition: t,
    };
    if (d.dryRun) {
      this.deps.audit.write({
        kind: 'action',
        provider: d.scope.provider,
        scopeKey: d.scopeKey,
        decisionId: d.id,
        detail: { transition: t, skipped: 'dry-run' },
      });
      return;
    }
    this.deps.outbox.enqueue(d.id, t, context, now);
  }

  private auditDecision(d: DecisionRecord, t: Transition, detail: Record<string, unknown>): void {
    this.deps.audit.write({
      kind: 'decision',
      provider: d.scope.provider,
      scopeKey: d.scopeKey,
      alert: d.alert,
      decisionId: d.id,
      status: t,
      detail: { ...detail, minDisabledMs: d.minDisabledMs, backoffLevel: d.backoffLevel, dryRun: d.dryRun },
    });
  }

  private alertOf(a: AmAlert) {
    return {
      alertname: a.labels.alertname ?? '',
      sli: a.labels[ALERT_LABELS.sli],
      firing: true,
      startsAt: a.startsAt,
      labels: a.labels,
    };
  }
}

const hasFiring = (d: DecisionRecord) => Object.values(d.alerts).some((a) => a.firing);
