// Starts vmagent as the OTLP/HTTP receiver that remote-writes into Prometheus (DESIGN §6: Debian's
// Prometheus has no OTLP receiver).
import path from 'node:path';
import { binaryPath } from '../binaries';
import { freePort, LOOPBACK } from '../net/freePort';
import { spawnManaged, tailLog, waitUntilReady } from './children';
import { makeTempDir, removeDir } from './tempDir';

export interface VmagentOptions {
  /** Base URL of a Prometheus started with remoteWriteReceiver: true. */
  prometheusUrl: string;
  /** How often vmagent flushes to Prometheus; default 1s. */
  flushInterval?: string;
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

export interface VmagentHandle {
  url: string;
  port: number;
  dir: string;
  /** Where an OTLP/HTTP protobuf metrics exporter sends to. */
  otlpMetricsUrl: string;
  stop(): Promise<void>;
  logs(): string;
}

export async function startVmagent(options: VmagentOptions): Promise<VmagentHandle> {
  const dir = makeTempDir('vmagent');
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const logFile = path.join(dir, 'vmagent.log');
  const args = [
    `-httpListenAddr=${LOOPBACK}:${port}`,
    `-remoteWrite.url=${options.prometheusUrl.replace(/\/+$/, '')}/api/v1/write`,
    `-remoteWrite.tmpDataPath=${path.join(dir, 'remotewrite')}`,
    `-remoteWrite.flushInterval=${options.flushInterval ?? '1s'}`,
    // Series names as a collector's Prometheus exporter would write them (`provider_requests_total`).
    '-opentelemetry.usePrometheusNaming',
    ...(options.extraArgs ?? []),
  ];
  const proc = spawnManaged({ name: 'vmagent', binary: binaryPath('vmagent'), args, cwd: dir, logFile });
  await waitUntilReady(proc, `${url}/health`, options.readyTimeoutMs);
  let stopped = false;
  return {
    url,
    port,
    dir,
    otlpMetricsUrl: `${url}/opentelemetry/v1/metrics`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await proc.stop();
      removeDir(dir);
    },
    logs: () => tailLog(logFile, Number.MAX_SAFE_INTEGER),
  };
}
