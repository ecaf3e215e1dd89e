// Regenerates the golden examples: rules/examples/<name>/{thresholds.yaml, overlay.yaml?} -> expected/.
// `npm run generate:examples -w rules`; test/golden/golden.test.ts renders the same way and diffs exactly.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOutputs, formatError, loadThresholds } from '../src';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');
export const EXPECTED = 'expected';
const OVERLAY = 'overlay.yaml';

/** Names of the example folders (each holds a thresholds.yaml). */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(EXAMPLES_DIR, d.name, 'thresholds.yaml')))
    .map((d) => d.name)
    .sort();
}

/** The generated files of one example, by file name (the tests sit next to the rules they load). */
export function renderExample(name: string): Record<string, string> {
  const file = `examples/${name}/thresholds.yaml`;
  const overlays = existsSync(path.join(EXAMPLES_DIR, name, OVERLAY)) ? [`examples/${name}/${OVERLAY}`] : [];
  const result = loadThresholds({ file, overlays, baseDir: path.dirname(EXAMPLES_DIR) });
  if (!result.ok) throw new Error(`example ${name} is invalid:\n${result.errors.map(formatError).join('\n')}`);
  const outputs = buildOutputs(result.resolved, { configPath: `rules/${file}` });
  return Object.fromEntries(Object.entries(outputs).map(([repoPath, content]) => [path.basename(repoPath), content]));
}

function writeExample(name: string): number {
  const files = renderExample(name);
  const target = path.join(EXAMPLES_DIR, name, EXPECTED);
  // Built beside the old folder and swapped in, so a failed run never leaves half an expected/ behind.
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(staging, file), content);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return Object.keys(files).length;
}

if (require.main === module) {
  try {
    for (const name of exampleNames()) console.log(`examples/${name}: ${writeExample(name)} files`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
