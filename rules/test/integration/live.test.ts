// End to end with the real Prometheus and Alertmanager: a runtime copy of the generated rules and
// alertmanager.yml (short `for` and timings, real loopback addresses) turns a router's 100% errors into
// webhooks: the failover receiver with the hook token, the operator's webhook, and the Watchdog to its own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALERTS, API_PATHS, GENERATED_FILES, INSTRUMENTS, META_ALERTS } from '@provider-health/schema';
import {
  LOOPBACK,
  promQuery,
  startAlertmanager,
  startPrometheus,
  waitFor,
  type AlertmanagerHandle,
  type PrometheusHandle,
} from '@provider-health/testkit';
import { buildOutputs } from '../../src';
import { designExample } from '../../src/build/test/fixtures';
import { tempDir } from './tools';

interface Hook {
  path: string;
  authorization?: string;
  alerts: { labels: Record<string, string>; status: string }[];
}

const TOKEN = 'live-test-hook-token';
const started = Date.now();
const hooks: Hook[] = [];

/** A router's /metrics: 1 success and 9 server errors per second at azure/gpt-4o/eastus, and routable. */
function metrics(): string {
  const s = Math.floor((Date.now() - started) / 1000);
  const labels = 'provider="azure",alias="gpt-4o",region="eastus"';
  return [
    `${INSTRUMENTS.requests.prometheus}{${labels},outcome="success"} ${s}`,
    `${INSTRUMENTS.requests.prometheus}{${labels},outcome="server_error"} ${9 * s}`,
    `${INSTRUMENTS.routable.prometheus}{${labels}} 1`,
    '',
  ].join('\n');
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let prometheus: PrometheusHandle | undefined;
let alertmanager: AlertmanagerHandle | undefined;
const tmp = tempDir('ph-live-');

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.url === '/metrics') return res.end(metrics());
    const payload = JSON.parse((await body(req)) || '{}');
    hooks.push({ path: req.url ?? '', authorization: req.headers.authorization, alerts: payload.alerts ?? [] });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const target = `${LOOPBACK}:${(server.address() as AddressInfo).port}`;

  const t = designExample();
  t.prometheus = { scrapeInterval: '1s', evaluationInterval: '1s' };
  t.slis.errorRatio = { for: '1s', failover: true };
  t.alertmanager = { ...t.alertmanager, groupWait: '1s', groupInterval: '1s', repeatInterval: '1m' };
  const files = buildOutputs(t, {
    skipRuleTests: true,
    failoverWebhookUrl: `http://${target}${API_PATHS.hook}`,
    hookTokenFile: tmp.write('hook-token', `${TOKEN}\n`),
    budgetWebhookUrl: `http://${target}/budget`,
    watchdogUrl: `http://${target}/deadman`,
    smtpSmarthost: `${LOOPBACK}:9`,
  });
  alertmanager = await startAlertmanager({ config: files[GENERATED_FILES.alertmanager] });
  prometheus = await startPrometheus({
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    ruleFiles: [tmp.write('provider-health.rules.yml', files[GENERATED_FILES.rules])],
    scrapeTargets: [{ job: 'provider-telemetry', targets: [target] }],
    alertmanagerUrl: alertmanager.url,
    extraArgs: ['--rules.alert.resend-delay=1s'],
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await new Promise((resolve) => server.close(resolve));
  tmp.remove();
});

const firing = (path: string, alertname: string) =>
  hooks.find((h) => h.path === path && h.alerts.some((a) => a.labels.alertname === alertname && a.status === 'firing'));

describe('generated rules and routes, live', () => {
  it('turn a hard outage into the failover webhook (with the hook token) and the operator’s webhook', async () => {
    const failover = await waitFor(() => firing(API_PATHS.hook, ALERTS.errorRatio), {
      what: 'the failover webhook to receive ProviderErrorRatioHigh',
      timeoutMs: 40_000,
    });
    expect(failover.authorization).toBe(`Bearer ${TOKEN}`);
    const alert = failover.alerts.find((a) => a.labels.alertname === ALERTS.errorRatio);
    expect(alert?.labels).toMatchObject({ provider: 'azure', severity: 'critical', failover: 'true' });
    await waitFor(() => firing('/budget', ALERTS.errorRatio), { what: 'the budget webhook', timeoutMs: 10_000 });
    expect(
      hooks.filter((h) => h.path === API_PATHS.hook).every((h) => h.alerts.every((a) => a.labels.failover === 'true')),
    ).toBe(true);
  }, 60_000);

  it('send the Watchdog to the dead-man receiver only', async () => {
    await waitFor(() => firing('/deadman', META_ALERTS.watchdog), {
      what: 'the Watchdog at /deadman',
      timeoutMs: 20_000,
    });
    const elsewhere = hooks.filter(
      (h) => h.path !== '/deadman' && h.alerts.some((a) => a.labels.alertname === META_ALERTS.watchdog),
    );
    expect(elsewhere).toEqual([]);
  }, 30_000);

  it('evaluate without rule evaluation failures', async () => {
    const url = prometheus!.url;
    const failures = await promQuery(url, 'sum(prometheus_rule_evaluation_failures_total)');
    expect(Number(failures[0]?.value[1] ?? 0)).toBe(0);
    const resolved = await promQuery(
      url,
      'provider_region:provider_health_threshold:resolved{sli="error_ratio",level="critical"}',
    );
    expect(resolved.map((s) => [s.metric.provider, Number(s.value[1])])).toEqual([['azure', 0.1]]);
  });
});
