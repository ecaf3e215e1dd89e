// Writing the generated set all or nothing, and comparing it with what is on disk (--check).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Repository-relative path -> content. */
export type FileSet = Record<string, string>;

/** Absolute target of a relative path; refuses paths that would leave the root. */
export function targetPath(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const inside = path.relative(root, abs);
  if (path.isAbsolute(rel) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new Error(`refusing to write ${JSON.stringify(rel)} outside ${root}`);
  }
  return abs;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function writeDurably(file: string, content: string): void {
  const fd = openSync(file, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every file to a temporary sibling first, then renames them into place. A failure while writing
 * temporaries leaves the old set untouched; a failure while renaming puts back what was renamed already.
 * Returns the paths whose content changed.
 */
export function writeFilesAtomic(root: string, files: FileSet): string[] {
  const planned = Object.keys(files)
    .sort()
    .map((rel) => {
      const target = targetPath(root, rel);
      return { rel, target, temp: `${target}.${process.pid}.tmp`, previous: readOrUndefined(target) };
    })
    .filter((f) => f.previous !== files[f.rel]);
  try {
    for (const f of planned) {
      mkdirSync(path.dirname(f.target), { recursive: true });
      writeDurably(f.temp, files[f.rel]);
    }
  } catch (e) {
    for (const f of planned) rmSync(f.temp, { force: true });
    throw e;
  }
  const renamed: typeof planned = [];
  try {
    for (const f of planned) {
      renameSync(f.temp, f.target);
      renamed.push(f);
    }
  } catch (e) {
    restore(renamed);
    for (const f of planned) rmSync(f.temp, { force: true });
    throw e;
  }
  return planned.map((f) => f.rel);
}

function restore(renamed: Array<{ target: string; previous: string | undefined }>): void {
  for (const f of renamed) {
    try {
      if (f.previous === undefined) rmSync(f.target, { force: true });
      else writeDurably(f.target, f.previous);
    } catch {
      // Best effort: the original error is the one to report.
    }
  }
}

/** Paths whose file on disk is missing or differs from the generated content, sorted. */
export function staleFiles(root: string, files: FileSet): string[] {
  return Object.keys(files)
    .sort()
    .filter((rel) => readOrUndefined(targetPath(root, rel)) !== files[rel]);
}
