// Route-level token check, run on request (before the body is read).
import type { TokenRole } from '@provider-health/schema';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Service } from '../service';
import { TokenAuth } from './auth';

const auths = new WeakMap<Service, TokenAuth>();

declare module 'fastify' {
  interface FastifyRequest {
    role?: TokenRole;
  }
}

export function requireRole(svc: Service, allowed: readonly TokenRole[]) {
  let auth = auths.get(svc);
  if (!auth) {
    auth = new TokenAuth(svc.config.tokens);
    auths.set(svc, auth);
  }
  const a = auth;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = a.check(req.headers.authorization, allowed);
    if (!r.ok) {
      if (r.code === 401) reply.header('www-authenticate', 'Bearer');
      return reply.code(r.code).send({ error: r.message });
    }
    req.role = r.role;
  };
}
