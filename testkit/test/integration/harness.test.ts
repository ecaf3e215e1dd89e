// Starts the real Prometheus, Alertmanager and vmagent through the harness and checks each promise it makes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  amAlerts,
  amPostAlerts,
  isListening,
  promAlerts,
  promQuery,
  startAlertmanager,
  startPrometheus,
  startVmagent,
  waitFor,
  type AlertmanagerHandle,
  type PrometheusHandle,
  type VmagentHandle,
} from '../../src';

jest.setTimeout(30_000);

const scalar = async (url: string, expr: string, time?: number): Promise<number | undefined> => {
  const [sample] = await promQuery(url, expr, time);
  return sample ? Number(sample.value[1]) : undefined;
};

const ruleFile = (record: string, factor: number): string =>
  [
    'groups:',
    '  - name: harness',
    '    rules:',
    `      - record: ${record}`,
    `        expr: harness_test_value * ${factor}`,
    '      - alert: HarnessValuePositive',
    '        expr: harness_test_value > 0',
    '        labels: {severity: warning}',
    '',
  ].join('\n');

describe('harness with real servers', () => {
  let target: http.Server;
  let targetAddress: string;
  let work: string;
  let rulesPath: string;
  let prometheus: PrometheusHandle;
  let alertmanager: AlertmanagerHandle;
  let vmagent: VmagentHandle;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'harness-test-'));
    rulesPath = path.join(work, 'test.rules.yml');
    writeFileSync(rulesPath, ruleFile('harness:test_value:doubled', 2));
    target = http.createServer((req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end('# TYPE harness_test_value gauge\nharness_test_value{color="blue"} 42\n');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetAddress = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    alertmanager = await startAlertmanager();
    prometheus = await startPrometheus({
      scrapeTargets: [{ job: 'tiny', targets: [targetAddress], labels: { team: 'harness' } }],
      ruleFiles: [rulesPath],
      alertmanagerUrl: alertmanager.url,
      remoteWriteReceiver: true,
    });
    vmagent = await startVmagent({ prometheusUrl: prometheus.url });
  });

  afterAll(async () => {
    await Promise.all([vmagent?.stop(), prometheus?.stop(), alertmanager?.stop()]);
    await new Promise((resolve) => target?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  it('scrapes a target with its labels and evaluates a rule file', async () => {
    const [sample] = await waitFor(
      async () =>
        (await promQuery(prometheus.url, 'harness:test_value:doubled'))[0] &&
        promQuery(prometheus.url, 'harness:test_value:doubled'),
      {
        what: 'the recording rule',
      },
    );
    expect(sample.metric).toMatchObject({ job: 'tiny', team: 'harness', color: 'blue' });
    expect(Number(sample.value[1])).toBe(84);
  });

  it('sends firing alerts to the configured Alertmanager', async () => {
    const alerts = await waitFor(
      async () => {
        const found = await amAlerts(alertmanager.url, ['alertname="HarnessValuePositive"']);
        return found.length > 0 && found;
      },
      { what: 'HarnessValuePositive in Alertmanager' },
    );
    expect(alerts[0].labels).toMatchObject({ severity: 'warning', job: 'tiny' });
  });

  it('reloads a changed rule file and refuses a broken one', async () => {
    writeFileSync(rulesPath, ruleFile('harness:test_value:tripled', 3));
    await prometheus.reload();
    expect(await waitFor(() => scalar(prometheus.url, 'harness:test_value:tripled'), { what: 'the new rule' })).toBe(
      126,
    );

    writeFileSync(rulesPath, 'groups: [{name: broken, rules: [{record: "bad name", expr: "1"}]}]\n');
    await expect(prometheus.reload()).rejects.toThrow(/refused the reload.*prometheus\.log/s);
    writeFileSync(rulesPath, ruleFile('harness:test_value:tripled', 3));
    await prometheus.reload();
    expect((await promAlerts(prometheus.url)).map((a) => a.labels.alertname)).toContain('HarnessValuePositive');
  });

  it('accepts an alert through the Alertmanager API', async () => {
    await amPostAlerts(alertmanager.url, [{ labels: { alertname: 'HarnessPosted', provider: 'azure' } }]);
    const [alert] = await amAlerts(alertmanager.url, ['alertname="HarnessPosted"']);
    expect(alert.labels.provider).toBe('azure');
    expect(alert.status.state).toBe('active');
  });

  it('receives an OTLP/HTTP protobuf export in vmagent and writes it into Prometheus', async () => {
    const exporter = new OTLPMetricExporter({ url: vmagent.otlpMetricsUrl });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('harness-test').createCounter('harness.otlp.requests').add(7, { provider: 'bedrock' });
    const { resourceMetrics } = await reader.collect();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(resourceMetrics, resolve));
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    await provider.shutdown();
    const value = await waitFor(() => scalar(prometheus.url, 'harness_otlp_requests_total{provider="bedrock"}'), {
      what: 'the OTLP counter in Prometheus',
      timeoutMs: 15_000,
    });
    expect(value).toBe(7);
  });

  it('keeps the data across a restart on the same port', async () => {
    const [before] = await promQuery(prometheus.url, 'harness_test_value');
    const sampledAt = before.value[0];
    const port = prometheus.port;
    await prometheus.restart();
    expect(prometheus.port).toBe(port);
    // Queried at the old timestamp: only data kept from before the restart can answer.
    expect(await scalar(prometheus.url, 'harness_test_value', sampledAt)).toBe(42);
    expect(await scalar(prometheus.url, 'harness_otlp_requests_total', sampledAt)).toBe(7);
  });

  it('leaves nothing listening and no temp folder after stop', async () => {
    const servers = [vmagent, prometheus, alertmanager];
    for (const server of servers) expect(await isListening(server.port)).toBe(true);
    await Promise.all(servers.map((server) => server.stop()));
    for (const server of servers) {
      expect(await isListening(server.port)).toBe(false);
      expect(existsSync(server.dir)).toBe(false);
    }
  });
});

describe('children of a test process that ends without stop()', () => {
  const script = path.join(__dirname, '..', 'fixtures', 'startAndLeave.ts');
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const startChild = async (mode: 'exit' | 'hang'): Promise<{ child: ChildProcess; port: number; dir: string }> => {
    // One node process with tsx's loader (the tsx CLI would sit in between and survive a SIGKILL of it).
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script, mode], {
      cwd: __dirname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    started.push(child);
    const [line] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
    return { child, ...(JSON.parse(line) as { port: number; dir: string }) };
  };

  it('are killed and their folders removed when it exits', async () => {
    const { child, port, dir } = await startChild('exit');
    await once(child, 'exit');
    await waitFor(async () => !(await isListening(port)), { what: `port ${port} to close`, timeoutMs: 5000 });
    expect(existsSync(dir)).toBe(false);
  });

  it('are killed when it is killed with SIGKILL', async () => {
    const { child, port } = await startChild('hang');
    expect(await isListening(port)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await waitFor(async () => !(await isListening(port)), { what: `port ${port} to close`, timeoutMs: 5000 });
  });
});
