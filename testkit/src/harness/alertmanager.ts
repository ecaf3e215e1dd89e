// Starts the installed Alertmanager on a free loopback port, clustering off, with a temp storage folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { binaryPath } from '../binaries';
import { freePort, LOOPBACK } from '../net/freePort';
import { withDebianShare } from './debianShare';
import { spawnManaged, tailLog, waitUntilReady, type ManagedProcess } from './children';
import { makeTempDir, removeDir, writeFileAtomic } from './tempDir';

/** The smallest valid configuration: everything to a receiver that sends nothing. */
export const NULL_ALERTMANAGER_CONFIG = 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n';

export interface AlertmanagerOptions {
  /** alertmanager.yml as text; give this or configFile (neither: NULL_ALERTMANAGER_CONFIG). */
  config?: string;
  /** Path of an alertmanager.yml, copied into the temp folder. */
  configFile?: string;
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

export interface AlertmanagerHandle {
  url: string;
  port: number;
  dir: string;
  configPath: string;
  /** Writes the new config (text) if given, then reloads; throws if Alertmanager refuses it. */
  reload(config?: string): Promise<void>;
  /** Stops and starts again on the same port and storage folder (silences and notification log survive). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  logs(): string;
}

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<AlertmanagerHandle> {
  if (options.config !== undefined && options.configFile !== undefined) {
    throw new Error('startAlertmanager: give either config (text) or configFile (path), not both');
  }
  const dir = makeTempDir('alertmanager');
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const configPath = path.join(dir, 'alertmanager.yml');
  const logFile = path.join(dir, 'alertmanager.log');
  const initial = options.configFile ? readFileSync(options.configFile, 'utf8') : options.config;
  writeFileAtomic(configPath, initial ?? NULL_ALERTMANAGER_CONFIG);
  const args = [
    `--config.file=${configPath}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${LOOPBACK}:${port}`,
    // Empty turns clustering off; the default would bind 0.0.0.0:9094.
    '--cluster.listen-address=',
    ...(options.extraArgs ?? []),
  ];
  const launch = async (): Promise<ManagedProcess> => {
    const command = withDebianShare(binaryPath('prometheus-alertmanager'), args);
    const proc = spawnManaged({ name: 'alertmanager', binary: command.command, args: command.args, cwd: dir, logFile });
    await waitUntilReady(proc, `${url}/-/ready`, options.readyTimeoutMs);
    return proc;
  };
  let proc = await launch();
  let stopped = false;
  return {
    url,
    port,
    dir,
    configPath,
    async reload(config) {
      if (config !== undefined) writeFileAtomic(configPath, config);
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      const body = await response.text();
      if (!response.ok) {
        throw new Error(
          `Alertmanager refused the reload (HTTP ${response.status}): ${body.trim()}. Config ${configPath}, log ${logFile}`,
        );
      }
    },
    async restart() {
      await proc.stop();
      proc = await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await proc.stop();
      removeDir(dir);
    },
    logs: () => tailLog(logFile, Number.MAX_SAFE_INTEGER),
  };
}
