// The Fastify application: routes, body limit, request metrics, and logs that never carry tokens.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Service } from '../service';
import { registerAdminRoutes } from './admin-routes';
import { registerHealthRoute } from './health-route';
import { registerHookRoute } from './hook-route';
import { registerOpsRoutes } from './ops-routes';
import { registerSettingsRoutes } from './settings-routes';

export function buildApp(svc: Service, logger = true): FastifyInstance {
  const app = Fastify({
    bodyLimit: svc.config.bodyLimitBytes,
    // Fastify's request serializer logs method, URL and address only: no headers, no bodies.
    logger: logger ? { level: svc.config.logLevel, redact: ['req.headers.authorization'] } : false,
    logController: new LogController({ disableRequestLogging: svc.config.logLevel !== 'debug' }),
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    svc.metrics.requestDuration.observe(
      { route, method: req.method, code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const code = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (code >= 500) {
      svc.metrics.errors.inc({ kind: 'http' });
      req.log.error({ err: error }, 'request failed');
    }
    return reply.code(code).send({ error: code >= 500 ? 'internal error' : error.message });
  });
  registerHealthRoute(app, svc);
  registerHookRoute(app, svc);
  registerAdminRoutes(app, svc);
  registerSettingsRoutes(app, svc);
  registerOpsRoutes(app, svc);
  return app;
}
