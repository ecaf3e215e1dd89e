// Loading and validating thresholds.yaml: load -> (overlay merge) -> validate structure -> resolve.
// See rules/README.md for the file's reference and the error format.
import type { ResolvedThresholds } from '@provider-health/schema';
import { sortErrors, type ConfigError } from './errors';
import { parseFile } from './parse';
import { resolve } from './resolve';
import { mergeTrees, type TNode } from './tree';
import { validateStructure } from './validate';

export { formatError, type ConfigError } from './errors';
export { formatDuration, parseDuration, parseLatency, parseRatio } from './units';
export { SCHEMA_PATH } from './validate';

export type LoadResult = { ok: true; resolved: ResolvedThresholds } | { ok: false; errors: ConfigError[] };

export interface LoadOptions {
  /** Path of thresholds.yaml; used in error positions. */
  file: string;
  /** The file's bytes when already read (the server's PUT body); read from `file` otherwise. */
  text?: string | Buffer;
  /** Overlay files merged over the main file before validation (the demo profile). */
  overlays?: string[];
  /** Overlay contents keyed like `overlays`, when already read. */
  overlayTexts?: Record<string, string | Buffer>;
  /** Directory relative paths are read from (default: the process's); errors keep the paths as given. */
  baseDir?: string;
}

const at = (e: ConfigError) => `${e.file}:${e.line}:${e.col}`;

/** Never throws on bad input: every problem comes back as a positioned ConfigError, sorted by position. */
export function loadThresholds(options: LoadOptions): LoadResult {
  const files = [options.file, ...(options.overlays ?? [])];
  const parsed = files.map((file, i) =>
    parseFile(file, i === 0 ? options.text : options.overlayTexts?.[file], options.baseDir),
  );
  const errors = parsed.flatMap((p) => p.errors);
  const trees = parsed.map((p) => p.tree).filter((t): t is TNode => t !== undefined);
  // A file that is not YAML at all leaves nothing meaningful to validate the others against.
  if (trees.length < files.length) return { ok: false, errors: sortErrors(errors, files) };
  const merged = trees.reduce(mergeTrees);
  const structural = validateStructure(merged);
  const { resolved, errors: semantic } = resolve(merged);
  if (errors.length === 0 && structural.length === 0 && resolved) return { ok: true, resolved };
  // Semantic checks still run on a malformed file, so ids and levels are reported in the same pass; where
  // both stages flag one value, the structural message wins.
  const flagged = new Set(structural.map(at));
  const all = [...errors, ...structural, ...semantic.filter((e) => !flagged.has(at(e)))];
  return { ok: false, errors: sortErrors(all, files) };
}
