// Writing a set of files atomically (temporary sibling + fsync + rename) and putting the previous
// contents back when a later step fails.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export type Snapshot = Map<string, string | undefined>;

const readOrUndefined = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

export function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Writes every file; returns what was there before, for restoreFiles. */
export function writeFiles(files: Map<string, string>): Snapshot {
  const previous: Snapshot = new Map();
  for (const file of files.keys()) previous.set(file, readOrUndefined(file));
  try {
    for (const [file, content] of files) writeAtomic(file, content);
  } catch (error) {
    restoreFiles(previous);
    throw error;
  }
  return previous;
}

export function restoreFiles(previous: Snapshot): void {
  for (const [file, content] of previous) {
    if (content === undefined) rmSync(file, { force: true });
    else writeAtomic(file, content);
  }
}
