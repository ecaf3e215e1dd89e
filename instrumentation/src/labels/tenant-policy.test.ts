import { OTHER_TENANT } from '@provider-health/schema';
import { TenantPolicy, type DropReason } from './tenant-policy';
import { looksSensitive } from './sensitive';

describe('tenant policy', () => {
  it('admits the first N clean tenants and folds the rest into other', () => {
    const drops: DropReason[] = [];
    const p = new TenantPolicy({ maxTenants: 2 }, (r) => drops.push(r));
    expect(['acme', 'globex', 'initech', 'acme'].map((t) => p.label(t))).toEqual([
      'acme',
      'globex',
      OTHER_TENANT,
      'acme',
    ]);
    expect(drops).toEqual(['limit']);
  });

  it('sends secrets and e-mail addresses to other without spending a slot', () => {
    const drops: DropReason[] = [];
    const p = new TenantPolicy({ maxTenants: 1 }, (r) => drops.push(r));
    expect(p.label('jane.doe@example.com')).toBe(OTHER_TENANT);
    expect(p.label('sk-proj-abc123')).toBe(OTHER_TENANT);
    expect(p.label('acme')).toBe('acme');
    expect(drops).toEqual(['sensitive', 'sensitive']);
  });

  it('keeps only allow-listed tenants', () => {
    const p = new TenantPolicy({ allow: ['acme'] });
    expect([p.label('acme'), p.label('globex'), p.label(undefined)]).toEqual(['acme', OTHER_TENANT, '']);
  });

  it.each([
    ['jane@example.com', true],
    ['sk-live-0123', true],
    ['0123456789abcdef0123456789abcdef', true],
    ['dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB2YWx1ZTEyMw==', true],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', true],
    ['acme-corp', false],
    ['tenant-42', false],
    ['a-very-long-but-ordinary-tenant-name-with-words', false],
  ])('looksSensitive(%s) is %s', (value, expected) => {
    expect(looksSensitive(value)).toBe(expected);
  });
});
