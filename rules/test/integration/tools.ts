// Runs the real Prometheus/Alertmanager/VictoriaMetrics tools on files in a temporary folder.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binaryPath, type BinaryName } from '@provider-health/testkit';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(tool: BinaryName, args: string[], cwd?: string, timeoutMs = 110_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(binaryPath(tool), args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temporary folder; `remove` deletes it (call it from afterAll). */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    write(rel: string, content: string): string {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
