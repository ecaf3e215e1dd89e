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
    // Alertmanager being down must not take the health API and the hook out of service: readiness
    // needs the database and a reconcile loop that still runs, whatever its last outcome.
    const running =
      last.attemptAt !== undefined && Date.now() - last.attemptAt < 3 * svc.config.failover.reconcileIntervalMs;
    const ready = db === 'ok' && running;
    return reply.code(ready ? 200 : 503).send({
      ready,
      db,
      lastReconcile: {
        at: last.at && new Date(last.at).toISOString(),
        attemptAt: last.attemptAt && new Date(last.attemptAt).toISOString(),
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
