// The README's schema table and GenAI mapping are generated from schema/; this fails when they drift.
import { readFileSync } from 'node:fs';
import { README, generated } from '../scripts/schema-table';

it('README schema table matches the schema (fix: npm run readme -w instrumentation)', () => {
  expect(readFileSync(README, 'utf8')).toContain(generated());
});
