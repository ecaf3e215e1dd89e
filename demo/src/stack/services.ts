// Spawns Prometheus, Alertmanager and the provider-health server under the supervisor, on loopback
// ports, each with its own data folder and log file.
import path from 'node:path';
import { binaryPath, prometheusWebAssets, withDebianShare } from '@provider-health/testkit';
import { API_PATHS } from '@provider-health/schema';
import { httpOk, type ManagedProcess, type Supervisor } from '../supervisor';
import { REPO_ROOT } from './config';

export function startPrometheus(
  sup: Supervisor,
  dir: string,
  configFile: string,
  address: string,
): Promise<ManagedProcess> {
  return sup.spawn({
    name: 'prometheus',
    command: binaryPath('prometheus'),
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      '--web.enable-lifecycle',
      `--web.local-assets=${prometheusWebAssets()}`,
    ],
    cwd: dir,
    logFile: path.join(dir, 'prometheus.log'),
    ready: () => httpOk(`http://${address}/-/ready`),
  });
}

export function startAlertmanager(
  sup: Supervisor,
  dir: string,
  configFile: string,
  address: string,
): Promise<ManagedProcess> {
  // Debian's Alertmanager reads its default templates from /usr/share; withDebianShare shows the
  // extracted copy there, in a private mount namespace.
  const { command, args } = withDebianShare(binaryPath('prometheus-alertmanager'), [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${address}`,
    // Empty: no clustering, which would otherwise listen on 0.0.0.0:9094.
    '--cluster.listen-address=',
  ]);
  return sup.spawn({
    name: 'alertmanager',
    command,
    args,
    cwd: dir,
    logFile: path.join(dir, 'alertmanager.log'),
    ready: () => httpOk(`http://${address}/-/ready`),
  });
}

/** The server from its TypeScript sources (as `npm run server -w server` runs it), as a direct child. */
export function startServer(
  sup: Supervisor,
  dir: string,
  configFile: string,
  address: string,
): Promise<ManagedProcess> {
  return sup.spawn({
    name: 'server',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      '--conditions=source',
      path.join(REPO_ROOT, 'server', 'src', 'main.ts'),
      '--config',
      configFile,
    ],
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    logFile: path.join(dir, 'server.log'),
    ready: () => httpOk(`http://${address}${API_PATHS.healthz}`),
    readyTimeoutMs: 60_000,
  });
}
