// Placeholder replaced below when the settings API lands.
import type { FastifyInstance } from 'fastify';
import type { Service } from '../service';

export function registerSettingsRoutes(_app: FastifyInstance, _svc: Service): void {}
