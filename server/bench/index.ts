// Server benchmarks (`npm run bench -w server`):
// 1. GET /admin/providers/health with 100 providers x 5 aliases against a live Prometheus running the
//    generated rules, 50 connections: requests/s and p99 (targets >= 1,000 req/s, p99 < 50 ms); baseline
//    /healthz on the same server in the same run.
// 2. POST /hooks/alertmanager: durable notifications/s (target >= 500/s) with synchronous=FULL (the
//    default: fsync per group commit) and, as the baseline, synchronous=NORMAL.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOutputs, loadThresholds } from '@provider-health/rules';
import { ALERTS, API_PATHS, GENERATED_FILES, recordingRuleName, type Deployment } from '@provider-health/schema';
import {
  REPO_ROOT,
  freePort,
  makeTempDir,
  promQuery,
  removeDir,
  startAlertmanager,
  startPrometheus,
  waitFor,
} from '@provider-health/testkit';
import autocannon, { type Options, type Request } from 'autocannon';
import type { HealthResponse } from '@provider-health/schema';
import { stringify } from 'yaml';
import { alert, payload } from '../test/fixtures/alerts';
import { TOKENS } from '../test/fixtures/config';
import { startFakeSources, type FakeSources } from '../test/fixtures/fake-sources';
import { TOPOLOGY_QUERY } from '../src/sources/prom-snapshot';
import { startScriptedRouter } from '../test/fixtures/scripted-router';

const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 10);
const CONNECTIONS = 50;
const PROVIDERS = 100;
const ALIASES = 5;
const children: ChildProcess[] = [];

async function startServerChild(dir: string, name: string, config: Record<string, unknown>): Promise<string> {
  const port = await freePort();
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      ...config,
      listen: { host: '127.0.0.1', port },
      storage: { path: path.join(dir, `${name}.db`), ...(config.storage as object) },
      logLevel: 'warn',
    }),
  );
  const env = {
    ...process.env,
    PROVIDER_HEALTH_TOKEN_READ: TOKENS.read,
    PROVIDER_HEALTH_TOKEN_ADMIN: TOKENS.admin,
    PROVIDER_HEALTH_TOKEN_HOOK: TOKENS.hook,
  };
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(__dirname, '../src/main.ts'), '--config', file],
    {
      cwd: path.join(__dirname, '..'),
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}${API_PATHS.healthz}`)).ok, {
    what: `${name} server`,
    timeoutMs: 30_000,
  });
  return url;
}

const load = (url: string, opts: Partial<Options> = {}) =>
  autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...opts }).then((r) => {
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  });

async function healthBench(dir: string): Promise<void> {
  const deployments: Array<[Deployment, { attemptsPerSec: number; errorShare: number }]> = [];
  for (let p = 0; p < PROVIDERS; p++) {
    for (let a = 0; a < ALIASES; a++)
      deployments.push([
        { provider: `p${p}`, region: `r${p % 3}`, alias: `a${a}` },
        { attemptsPerSec: 2, errorShare: p % 10 === 0 ? 0.3 : 0.01 },
      ]);
  }
  const router = await startScriptedRouter(deployments);
  // The demo profile: 5 s scrape and evaluation intervals, production windows and rule names.
  const overlay = path.join(REPO_ROOT, 'rules/profiles/demo.yaml');
  const loaded = loadThresholds({ file: path.join(REPO_ROOT, 'rules/thresholds.yaml'), overlays: [overlay] });
  if (!loaded.ok) throw new Error('thresholds do not load');
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(rules, buildOutputs(loaded.resolved, { skipRuleTests: true })[GENERATED_FILES.rules]);
  const am = await startAlertmanager();
  const prom = await startPrometheus({
    scrapeTargets: [{ job: 'router', targets: [router.target] }],
    ruleFiles: [rules],
    scrapeInterval: '5s',
    evaluationInterval: '5s',
  });
  try {
    await waitFor(
      async () =>
        (await promQuery(prom.url, recordingRuleName('deployment', 'errorRatio', '1m'))).length >= PROVIDERS * ALIASES,
      {
        what: 'recorded SLIs of every deployment',
        timeoutMs: 60_000,
        intervalMs: 1000,
      },
    );
    const url = await startServerChild(dir, 'health', {
      prometheus: { url: prom.url, cacheTtl: '5s' },
      alertmanager: { url: am.url, cacheTtl: '5s' },
    });
    const headers = { authorization: `Bearer ${TOKENS.read}`, 'accept-encoding': 'gzip' };
    const identity = { authorization: `Bearer ${TOKENS.read}` };
    const sample = (await (await fetch(`${url}${API_PATHS.health}`, { headers: identity })).json()) as HealthResponse;
    const bytes = JSON.stringify(sample).length;
    const shown = sample.providers.reduce((n, p) => n + p.deployments.length, 0);
    await load(`${url}${API_PATHS.health}`, { headers, duration: 2 }); // warm-up
    const health = await load(`${url}${API_PATHS.health}`, { headers });
    const plain = await load(`${url}${API_PATHS.health}`, { headers: identity });
    const filtered = await load(`${url}${API_PATHS.health}?provider=p7`, { headers });
    const baseline = await load(`${url}${API_PATHS.healthz}`);
    console.log(
      `health API, ${shown} deployments of ${PROVIDERS} providers x ${ALIASES} aliases, live Prometheus, ${CONNECTIONS} connections, ${SECONDS}s:`,
    );
    console.log(
      `  full answer, gzip:     ${health.requests.average.toFixed(0)} req/s, p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms  (targets >= 1000 req/s: ${health.requests.average >= 1000 ? 'met' : 'NOT met'}, p99 < 50 ms: ${health.latency.p99 < 50 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  full answer, identity (${(bytes / 1024).toFixed(0)} KiB): ${plain.requests.average.toFixed(0)} req/s, p99 ${plain.latency.p99} ms`,
    );
    console.log(
      `  ?provider=p7, gzip:    ${filtered.requests.average.toFixed(0)} req/s, p99 ${filtered.latency.p99} ms`,
    );
    console.log(
      `  /healthz baseline: ${baseline.requests.average.toFixed(0)} req/s, p99 ${baseline.latency.p99} ms; full answer at ${((health.requests.average / baseline.requests.average) * 100).toFixed(1)}% of baseline`,
    );
  } finally {
    await prom.stop();
    await am.stop();
    await router.close();
  }
}

async function hookBench(dir: string, synchronous: 'full' | 'normal', sources: FakeSources): Promise<number> {
  const url = await startServerChild(dir, `hook-${synchronous}`, {
    prometheus: { url: sources.url, timeout: '1s', cacheTtl: '5s' },
    alertmanager: { url: sources.url, timeout: '1s' },
    storage: { synchronous },
    failover: { reconcileInterval: '1h' },
  });
  let i = 0;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const body = () => {
    const n = i++;
    // Bounded scopes (as in production), each notification a new one: a new dedup key every time.
    const a = alert({
      provider: `p${n % PROVIDERS}`,
      region: `r${n % 3}`,
      alertname: ALERTS.errorRatio,
      startsAt: new Date(start + n * 1000).toISOString(),
    });
    return JSON.stringify(payload([a]));
  };
  const result = await load(`${url}${API_PATHS.hook}`, {
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.hook}`, 'content-type': 'application/json' },
        setupRequest: (req: Request) => ({ ...req, body: body() }),
      },
    ],
  });
  return result.requests.average;
}

async function main(): Promise<void> {
  const dir = makeTempDir('server-bench');
  try {
    await healthBench(dir);
    // Topology for the guards: 100 providers x 3 regions x 5 aliases.
    const sources = await startFakeSources();
    const topology = [];
    for (let p = 0; p < PROVIDERS; p++) {
      for (let a = 0; a < ALIASES; a++)
        topology.push({ labels: { provider: `p${p}`, region: `r${p % 3}`, alias: `a${a}` }, value: 1 });
    }
    sources.series.set(TOPOLOGY_QUERY, topology);
    const full = await hookBench(dir, 'full', sources);
    const normal = await hookBench(dir, 'normal', sources);
    await sources.close();
    console.log(
      `webhook, one alert per notification, ${CONNECTIONS} connections, ${SECONDS}s, each 2xx after its commit:`,
    );
    console.log(
      `  synchronous=FULL (default): ${full.toFixed(0)} notifications/s (target >= 500/s: ${full >= 500 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  synchronous=NORMAL baseline: ${normal.toFixed(0)} notifications/s; FULL at ${((full / normal) * 100).toFixed(1)}% of NORMAL`,
    );
  } finally {
    for (const c of children) c.kill('SIGKILL');
    removeDir(dir);
  }
}

main().catch((error) => {
  console.error(error);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
