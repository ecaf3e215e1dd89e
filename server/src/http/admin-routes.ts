// Admin API: the audit log, failover states, manual pins and the dry-run switch.
import { API_PATHS } from '@provider-health/schema';
import type { FastifyInstance } from 'fastify';
import type { AuditKind } from '../audit/audit-log';
import { parseDurationMs } from '../config/durations';
import { toApiDecision } from '../failover/present';
import { isRoutable } from '../failover/routing';
import { parseScope, scopeKey } from '../failover/scope';
import type { Service } from '../service';
import { requireRole } from './guard';

const AUDIT_KINDS: AuditKind[] = ['notification', 'decision', 'action', 'override', 'settings', 'reconcile'];

/** An RFC 3339 time, or a duration meaning "that long ago". */
function timeParam(raw: string | undefined): number | undefined | 'invalid' {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (!Number.isNaN(t)) return t;
  const ago = parseDurationMs(raw);
  return ago === undefined ? 'invalid' : Date.now() - ago;
}

export function registerAdminRoutes(app: FastifyInstance, svc: Service): void {
  const admin = { onRequest: requireRole(svc, ['admin']) };

  app.get(API_PATHS.audit, admin, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const since = timeParam(q.since);
    const until = timeParam(q.until);
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (since === 'invalid' || until === 'invalid')
      return reply.code(400).send({ error: 'since/until: an RFC 3339 time or a duration such as 1h' });
    if (q.kind !== undefined && !AUDIT_KINDS.includes(q.kind as AuditKind))
      return reply.code(400).send({ error: `kind: one of ${AUDIT_KINDS.join(', ')}` });
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
      return reply.code(400).send({ error: 'limit: a positive integer' });
    return {
      rows: svc.audit.query({ provider: q.provider, kind: q.kind as AuditKind | undefined, since, until, limit }),
    };
  });

  app.get(API_PATHS.failover, admin, async () => {
    const decisions = svc.store.activeDecisions();
    const overrides = svc.store.overrides();
    return {
      dryRun: svc.engine.dryRun(),
      decisions: decisions.map((d) => ({
        ...toApiDecision(d),
        ...(d.reason ? { reason: d.reason } : {}),
        alerts: Object.entries(d.alerts).map(([fingerprint, a]) => ({
          fingerprint,
          alert: a.alertname,
          firing: a.firing,
          startsAt: a.startsAt,
        })),
        ...(svc.confirmations.has(d.id) ? { lastConfirmation: svc.confirmations.get(d.id) } : {}),
      })),
      overrides: overrides.map((o) => ({
        scope: o.scope,
        pin: o.pin,
        reason: o.reason,
        at: new Date(o.at).toISOString(),
        role: o.role,
      })),
      deployments: (svc.topology ?? []).map((d) => ({ ...d, routable: isRoutable(d, decisions, overrides) })),
      lastReconcile: { ...svc.lastReconcile, at: svc.lastReconcile.at && new Date(svc.lastReconcile.at).toISOString() },
    };
  });

  app.post(API_PATHS.overrides, admin, async (req, reply) => {
    const body = req.body as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null) return reply.code(400).send({ error: 'body must be a JSON object' });
    const role = req.role!;
    if (body.dryRun !== undefined) {
      if (typeof body.dryRun !== 'boolean') return reply.code(400).send({ error: 'dryRun must be true or false' });
      const on = body.dryRun;
      await svc.commit.run(() => {
        svc.store.setDryRun(on);
        svc.audit.write({ kind: 'override', role, detail: { dryRun: on } });
      });
    }
    if (body.scope !== undefined) {
      const scope = parseScope(body.scope);
      const pin = body.pin;
      if (!scope) return reply.code(400).send({ error: 'scope: {provider, region?, alias?} with lower-case ids' });
      if (pin !== 'routable' && pin !== 'disabled' && pin !== null)
        return reply.code(400).send({ error: 'pin: "routable", "disabled", or null to remove' });
      const reason = typeof body.reason === 'string' ? body.reason : undefined;
      await svc.commit.run(() => {
        const key = scopeKey(scope);
        if (pin === null) svc.store.removeOverride(key);
        else svc.store.setOverride({ scopeKey: key, scope, pin, reason, at: Date.now(), role });
        svc.audit.write({
          kind: 'override',
          role,
          provider: scope.provider,
          scopeKey: key,
          detail: { pin, ...(reason ? { reason } : {}) },
        });
        svc.engine.retryRefused();
      });
    }
    if (body.dryRun === undefined && body.scope === undefined)
      return reply.code(400).send({ error: 'give dryRun and/or scope + pin' });
    return {
      dryRun: svc.engine.dryRun(),
      overrides: svc.store.overrides().map((o) => ({ scope: o.scope, pin: o.pin, reason: o.reason })),
    };
  });
}
