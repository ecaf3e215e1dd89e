// POST /hooks/alertmanager: every alert judged on its own; the 2xx is sent after the commit.
import { API_PATHS } from '@provider-health/schema';
import type { FastifyInstance } from 'fastify';
import type { Service } from '../service';
import { requireRole } from './guard';
import { parseHookPayload } from './hook-payload';

export function registerHookRoute(app: FastifyInstance, svc: Service): void {
  app.post(API_PATHS.hook, { onRequest: requireRole(svc, ['hook']) }, async (req, reply) => {
    const parsed = parseHookPayload(req.body);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
    const results = await svc.receive(parsed.payload.alerts);
    // Alertmanager dropped alerts from this payload (max_alerts): the reconcile fetches them all.
    if (parsed.payload.truncatedAlerts > 0) void svc.reconcile();
    return reply.send({
      received: results.length,
      marks: results.map((r, i) => ({
        fingerprint: parsed.payload.alerts[i].fingerprint,
        mark: r.mark,
        ...(r.reason ? { reason: r.reason } : {}),
      })),
      reconcile: parsed.payload.truncatedAlerts > 0,
    });
  });
}
