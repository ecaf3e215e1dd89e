// Starts the installed Prometheus on a free loopback port with a generated prometheus.yml (DESIGN §6).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { binaryPath, prometheusWebAssets } from '../binaries';
import { freePort, LOOPBACK } from '../net/freePort';
import { spawnManaged, tailLog, waitUntilReady, type ManagedProcess } from './children';
import { makeTempDir, removeDir, writeFileAtomic } from './tempDir';

export interface ScrapeTarget {
  job: string;
  /** host:port of each target. */
  targets: string[];
  /** Static labels added to every series of the job (e.g. `instance` or `service`). */
  labels?: Record<string, string>;
  metricsPath?: string;
  /** Per-job override of the global scrape interval. */
  scrapeInterval?: string;
  honorLabels?: boolean;
}

export interface PrometheusOptions {
  scrapeTargets?: ScrapeTarget[];
  /** Global scrape interval; default 1s so tests see data quickly. */
  scrapeInterval?: string;
  /** Rule evaluation interval; default 1s. */
  evaluationInterval?: string;
  /** Rule files, copied into the temp folder at start and at every reload. */
  ruleFiles?: string[];
  /** Alertmanager base URL(s), e.g. the `url` of startAlertmanager(). */
  alertmanagerUrl?: string | string[];
  /** Accept remote write at /api/v1/write (vmagent pushes OTLP data this way). */
  remoteWriteReceiver?: boolean;
  externalLabels?: Record<string, string>;
  /** More command-line flags, e.g. ['--rules.alert.resend-delay=1s']. */
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

export interface PrometheusHandle {
  url: string;
  port: number;
  dir: string;
  configPath: string;
  /** Re-copies the rule files, re-renders prometheus.yml with the changed options, and reloads; throws if Prometheus refuses. */
  reload(changes?: Partial<PrometheusOptions>): Promise<void>;
  /** Stops and starts again on the same port with the same data folder. */
  restart(): Promise<void>;
  /** Stops the process and removes the temp folder. */
  stop(): Promise<void>;
  logs(): string;
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusHandle> {
  const dir = makeTempDir('prometheus');
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const configPath = path.join(dir, 'prometheus.yml');
  const logFile = path.join(dir, 'prometheus.log');
  let current = options;
  writeConfig(dir, configPath, current);
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${LOOPBACK}:${port}`,
    '--web.enable-lifecycle',
    `--web.local-assets=${prometheusWebAssets()}`,
    ...(options.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
    ...(options.extraArgs ?? []),
  ];
  const launch = async (): Promise<ManagedProcess> => {
    const proc = spawnManaged({ name: 'prometheus', binary: binaryPath('prometheus'), args, cwd: dir, logFile });
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
    async reload(changes = {}) {
      current = { ...current, ...changes };
      writeConfig(dir, configPath, current);
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      const body = await response.text();
      if (!response.ok) {
        throw new Error(
          `Prometheus refused the reload (HTTP ${response.status}): ${body.trim()}. Config ${configPath}, log ${logFile}`,
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

function writeConfig(dir: string, configPath: string, options: PrometheusOptions): void {
  const ruleFiles = copyRuleFiles(dir, options.ruleFiles ?? []);
  writeFileAtomic(configPath, stringify(renderConfig(options, ruleFiles)));
}

function copyRuleFiles(dir: string, sources: string[]): string[] {
  const rulesDir = path.join(dir, 'rules');
  mkdirSync(rulesDir, { recursive: true });
  return sources.map((source, i) => {
    // Copied, so a test that edits its source file sees the change only when it asks for a reload.
    const target = path.join(rulesDir, `${String(i).padStart(2, '0')}-${path.basename(source)}`);
    writeFileAtomic(target, readFileSync(source, 'utf8'));
    return target;
  });
}

/** prometheus.yml as plain data. */
export function renderConfig(options: PrometheusOptions, ruleFiles: string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: options.scrapeInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '1s',
      ...(options.externalLabels ? { external_labels: options.externalLabels } : {}),
    },
    rule_files: ruleFiles,
    scrape_configs: (options.scrapeTargets ?? []).map(renderScrapeConfig),
  };
  const alertmanagers = [options.alertmanagerUrl ?? []].flat();
  if (alertmanagers.length > 0) config.alerting = { alertmanagers: alertmanagers.map(renderAlertmanager) };
  return config;
}

function renderScrapeConfig(target: ScrapeTarget): Record<string, unknown> {
  return {
    job_name: target.job,
    ...(target.scrapeInterval ? { scrape_interval: target.scrapeInterval } : {}),
    ...(target.metricsPath ? { metrics_path: target.metricsPath } : {}),
    ...(target.honorLabels ? { honor_labels: true } : {}),
    static_configs: [{ targets: target.targets, ...(target.labels ? { labels: target.labels } : {}) }],
  };
}

function renderAlertmanager(base: string): Record<string, unknown> {
  const parsed = new URL(base);
  const prefix = parsed.pathname.replace(/\/+$/, '');
  return {
    api_version: 'v2',
    scheme: parsed.protocol.replace(':', ''),
    ...(prefix ? { path_prefix: prefix } : {}),
    static_configs: [{ targets: [parsed.host] }],
  };
}
