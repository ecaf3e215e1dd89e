// Owns everything the demo starts: child processes, in-process servers and temporary folders. Stops all
// of it on success, on failure, on Ctrl-C / SIGTERM and on uncaught errors, so nothing is left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess, type ProcessSpec } from './process';

type Closer = { name: string; close: () => Promise<void> };

export interface SupervisorOptions {
  /** Keep temporary folders after stopping (to read logs). */
  keepTemp?: boolean;
  log?: (line: string) => void;
}

export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private readonly closers: Closer[] = [];
  private readonly dirs: string[] = [];
  private stopping: Promise<void> | undefined;
  private readonly exitHandler = () => this.killAllNow();
  private signalCleanup: (() => void) | undefined;

  constructor(private readonly options: SupervisorOptions = {}) {
    // A synchronous last resort: if the parent exits without stopAll, its children die with it.
    process.on('exit', this.exitHandler);
  }

  /** A fresh temporary folder, removed on stopAll. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `provider-health-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  async spawn(spec: ProcessSpec): Promise<ManagedProcess> {
    const managed = new ManagedProcess(spec);
    this.processes.push(managed);
    await managed.start();
    return managed;
  }

  /** Registers something started in this process (a server), closed on stopAll in reverse order. */
  adopt(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  get pids(): number[] {
    return this.processes.filter((p) => p.running).map((p) => p.pid!);
  }

  /** Stops in-process servers and children in reverse start order; safe to call more than once. */
  stopAll(): Promise<void> {
    this.stopping ??= this.doStopAll();
    return this.stopping;
  }

  /**
   * On SIGINT/SIGTERM/uncaught errors: stop everything, then exit with `code`. Returns a function that
   * removes the handlers (tests that share a process with Jest use it).
   */
  handleSignals(onStop?: (reason: string) => void, codes = { SIGINT: 130, SIGTERM: 143 }): () => void {
    const stopAndExit = (reason: string, code: number) => {
      onStop?.(reason);
      void this.stopAll().finally(() => process.exit(code));
    };
    const onInt = () => stopAndExit('interrupted (SIGINT)', codes.SIGINT);
    const onTerm = () => stopAndExit('terminated (SIGTERM)', codes.SIGTERM);
    const onError = (err: unknown) => {
      this.options.log?.(`uncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      stopAndExit('uncaught error', 1);
    };
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    this.signalCleanup = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    };
    return this.signalCleanup;
  }

  private async doStopAll(): Promise<void> {
    for (const closer of [...this.closers].reverse()) {
      await closer.close().catch((err: Error) => this.options.log?.(`stopping ${closer.name}: ${err.message}`));
    }
    await Promise.all([...this.processes].reverse().map((p) => p.stop()));
    if (!this.options.keepTemp) for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    process.off('exit', this.exitHandler);
    this.signalCleanup?.();
  }

  private killAllNow(): void {
    for (const p of this.processes) p.killNow();
  }
}
