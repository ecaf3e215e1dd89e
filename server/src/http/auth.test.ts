import { TokenAuth } from './auth';

const auth = new TokenAuth({ read: 'read-token-xxxxxxxx', admin: 'admin-token-xxxxxxx', hook: 'hook-token-xxxxxxxx' });

describe('TokenAuth', () => {
  it('maps each bearer token to its role', () => {
    expect(auth.roleOf('Bearer read-token-xxxxxxxx')).toBe('read');
    expect(auth.roleOf('bearer admin-token-xxxxxxx')).toBe('admin');
    expect(auth.roleOf('Bearer hook-token-xxxxxxxx')).toBe('hook');
  });

  it('answers 401 to missing, malformed or unknown tokens, also prefixes of a real one', () => {
    for (const h of [
      undefined,
      '',
      'read-token-xxxxxxxx',
      'Basic abc',
      'Bearer read-token',
      'Bearer read-token-xxxxxxxxx',
    ]) {
      expect(auth.check(h, ['read'])).toMatchObject({ ok: false, code: 401 });
    }
  });

  it('answers 403 to a valid token of another role', () => {
    expect(auth.check('Bearer read-token-xxxxxxxx', ['hook'])).toMatchObject({ ok: false, code: 403 });
    expect(auth.check('Bearer admin-token-xxxxxxx', ['read', 'admin'])).toEqual({ ok: true, role: 'admin' });
  });
});
