import path from 'node:path';
export { GENERATED_FILES } from '@provider-health/schema';
/** The repository root, from rules/test/integration. */
export const REPO_ROOT_RELATIVE = path.resolve(__dirname, '..', '..', '..');
