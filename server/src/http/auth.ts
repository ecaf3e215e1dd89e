// Bearer tokens of DESIGN §5: read, admin, hook. Compared in constant time over equal-length SHA-256
// digests, so neither the value nor its length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenRole } from '@provider-health/schema';

const digest = (s: string) => createHash('sha256').update(s).digest();

export type AuthResult = { ok: true; role: TokenRole } | { ok: false; code: 401 | 403; message: string };

export class TokenAuth {
  private readonly digests: Array<[TokenRole, Buffer]>;

  constructor(tokens: Record<TokenRole, string>) {
    this.digests = (Object.entries(tokens) as Array<[TokenRole, string]>).map(([r, t]) => [r, digest(t)]);
  }

  /** Which role a bearer header carries; every token is compared, whatever matches first. */
  roleOf(authorization: string | undefined): TokenRole | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const given = digest(m[1]);
    let found: TokenRole | undefined;
    for (const [role, d] of this.digests) if (timingSafeEqual(given, d)) found = role;
    return found;
  }

  check(authorization: string | undefined, allowed: readonly TokenRole[]): AuthResult {
    const role = this.roleOf(authorization);
    if (!role) return { ok: false, code: 401, message: 'missing or unknown bearer token' };
    if (!allowed.includes(role))
      return { ok: false, code: 403, message: `the ${role} token may not use this endpoint` };
    return { ok: true, role };
  }
}
