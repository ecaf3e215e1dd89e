// Liveness, readiness and the service's own metrics.
import { API_PATHS } from '@provider-health/schema';
import type { FastifyInstance } from 'fastify';
import type { Service } from '../service';

export function registerOpsRoutes(app: FastifyInstance, svc: Service): void {
  app.get(API_PATHS.healthz, async () => ({ status: 'ok' }));

  app.get(API_PATHS.readyz, async (_req, reply) => {
    let db = 'ok';
    try {
      svc.db.prepare('SELECT 1').get();
    } catch (e) {
      db = (e as Error).message;
    }
    const last = svc.lastReconcile;
    const fresh = last.at !== undefined && Date.now() - last.at < 3 * svc.config.failover.reconcileIntervalMs;
    const ready = db === 'ok' && fresh;
    return reply.code(ready ? 200 : 503).send({
      ready,
      db,
      lastReconcile: {
        at: last.at && new Date(last.at).toISOString(),
        ok: last.ok,
        ...(last.error ? { error: last.error } : {}),
      },
    });
  });

  app.get(API_PATHS.metrics, async (_req, reply) => {
    reply.header('content-type', svc.metrics.registry.contentType);
    return svc.metrics.registry.metrics();
  });
}
