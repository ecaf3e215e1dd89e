// Temporary folders for the servers' data, config and logs; removed on stop, or when the process exits.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of live) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {
        // A server killed a moment ago may still be writing; a leftover temp folder is all that costs.
      }
    }
  });
}

export function makeTempDir(prefix: string): string {
  installExitHook();
  const dir = mkdtempSync(path.join(os.tmpdir(), `provider-health-${prefix}-`));
  live.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  live.delete(dir);
}

/** Writes through a temporary file and a rename, so a server reloading meanwhile never reads half a file. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
