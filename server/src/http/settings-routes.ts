// GET/PUT /admin/settings (admin): the thresholds as JSON with an ETag; see settings/settings-service.ts.
import { API_PATHS } from '@provider-health/schema';
import type { FastifyInstance } from 'fastify';
import type { Service } from '../service';
import { SettingsService, type SettingsAnswer } from '../settings/settings-service';
import { requireRole } from './guard';

export function registerSettingsRoutes(app: FastifyInstance, svc: Service): void {
  const settings = new SettingsService(svc.config, svc.audit, svc.commit, (resolved) => svc.applyThresholds(resolved));
  const admin = { onRequest: requireRole(svc, ['admin']) };
  const send = (reply: import('fastify').FastifyReply, a: SettingsAnswer) => {
    if (a.etag) reply.header('etag', a.etag);
    return reply.code(a.code).send(a.body);
  };
  const disabled = {
    error: 'settings are off: set thresholds.file and thresholds.outputDir in the server configuration',
  };

  app.get(API_PATHS.settings, admin, async (_req, reply) => {
    if (!settings.enabled) return reply.code(404).send(disabled);
    return send(reply, settings.read());
  });

  app.put(API_PATHS.settings, admin, async (req, reply) => {
    if (!settings.enabled) return reply.code(404).send(disabled);
    return send(reply, await settings.update(req.headers['if-match'], req.body, req.role!));
  });
}
