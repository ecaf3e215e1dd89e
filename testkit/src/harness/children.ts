// Child processes of the harness: logged to a file, tracked, and killed however the test process ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// A Jest worker can be killed without running 'exit' handlers; setpriv's parent-death signal then still
// takes the server down with it (Linux only; without setpriv we rely on the 'exit' hook).
const SETPRIV = '/usr/bin/setpriv';

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves once the process has exited; with its exit code or signal. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  binary: string;
  args: string[];
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export function spawnManaged({ name, binary, args, cwd, logFile }: SpawnOptions): ManagedProcess {
  installExitHook();
  const fd = openSync(logFile, 'a');
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args]]
    : [binary, args];
  let child: ChildProcess;
  try {
    child = spawn(command, argv, { cwd, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  let done = false;
  const exited = new Promise<string>((resolve) => {
    const finish = (how: string): void => {
      done = true;
      running.delete(child);
      resolve(how);
    };
    child.once('exit', (code, signal) => finish(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (error) => finish(`spawn error: ${error.message}`));
  });
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (done) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, logFile, child, exited, hasExited: () => done, stop };
}

/** The last lines of a log file, for error messages. */
export function tailLog(logFile: string, lines = 20): string {
  if (!existsSync(logFile)) return '(no log yet)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Polls readyUrl until it answers 2xx; fails fast, with the log's tail, when the process exits first. */
export async function waitUntilReady(proc: ManagedProcess, readyUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.hasExited()) {
      throw new Error(
        `${proc.name} exited (${await proc.exited}) before ${readyUrl} was ready. Log ${proc.logFile}:\n${tailLog(proc.logFile)}`,
      );
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(
    `${proc.name} not ready at ${readyUrl} after ${timeoutMs} ms (last: ${lastError}). Log ${proc.logFile}:\n${tailLog(proc.logFile)}`,
  );
}
