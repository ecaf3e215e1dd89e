// One supervised child process: spawned with its output in a log file, stoppable and restartable with
// the same arguments (so a restarted Prometheus keeps its port and data folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface ProcessSpec {
  /** Short name for messages ("prometheus"). */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here; error messages point to it. */
  logFile: string;
  /** Resolves true once the process serves; polled until `readyTimeoutMs`. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 5_000;
// If the demo itself is killed (SIGKILL, OOM) no handler runs; the kernel's parent-death signal still
// takes its children down. Linux only; elsewhere the supervisor's exit hook is all there is.
const SETPRIV = '/usr/bin/setpriv';
const withParentDeathSignal = (command: string, args: string[]): [string, string[]] =>
  existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
const READY_POLL_MS = 100;

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> | undefined;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running (pid ${this.pid})`);
    const fd = openSync(this.spec.logFile, 'a');
    try {
      const [command, args] = withParentDeathSignal(this.spec.command, this.spec.args);
      this.child = spawn(command, args, {
        cwd: this.spec.cwd,
        env: this.spec.env ?? process.env,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const child = this.child;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    await this.waitReady();
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS)));
    const gone = await Promise.race([this.exit!.then(() => true), grace]);
    clearTimeout(timer);
    if (!gone) {
      child.kill('SIGKILL');
      await this.exit;
    }
  }

  /** For exit handlers, which cannot wait. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 30_000);
    let lastError = '';
    while (Date.now() < deadline) {
      if (!this.running) throw this.failure(`exited with code ${this.child?.exitCode ?? this.child?.signalCode}`);
      try {
        if (await this.spec.ready()) return;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await delay(READY_POLL_MS);
    }
    throw this.failure(`not ready after ${this.spec.readyTimeoutMs ?? 30_000} ms${lastError ? ` (${lastError})` : ''}`);
  }

  private failure(what: string): Error {
    return new Error(
      `${this.spec.name} ${what}. Log: ${this.spec.logFile}\n${this.logTail()
        .split('\n')
        .map((l) => `  | ${l}`)
        .join('\n')}`,
    );
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
