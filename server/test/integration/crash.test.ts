// Crash: a child server takes notifications at a steady rate and is killed with SIGKILL. After a
// restart on the same database every notification that got a 2xx is in the audit log, and no
// decision or router action happened twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_PATHS } from '@provider-health/schema';
import { REPO_ROOT, freePort, makeTempDir, removeDir, waitFor } from '@provider-health/testkit';
import { stringify } from 'yaml';
import { TOPOLOGY_QUERY } from '../../src/sources/prom-snapshot';
import { alert, payload } from '../fixtures/alerts';
import { startCatcher, type Catcher } from '../fixtures/catcher';
import { TOKENS, bearer } from '../fixtures/config';
import { startFakeSources, type FakeSources } from '../fixtures/fake-sources';
import { client } from '../fixtures/http';

jest.setTimeout(90_000);

const PROVIDERS = 400;
let dir: string;
let sources: FakeSources;
let catcher: Catcher;
let child: ChildProcess | undefined;
let configFile: string;
let url: string;

beforeAll(async () => {
  dir = makeTempDir('server-crash');
  sources = await startFakeSources();
  catcher = await startCatcher();
  const topology = [];
  for (let i = 0; i < PROVIDERS; i++) {
    topology.push({ labels: { provider: `p${i}`, region: 'r', alias: `a${i}` }, value: 1 });
    topology.push({ labels: { provider: 'spare', region: 'r', alias: `a${i}` }, value: 1 });
  }
  sources.series.set(TOPOLOGY_QUERY, topology);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  configFile = path.join(dir, 'server.yaml');
  writeFileSync(
    configFile,
    stringify({
      listen: { host: '127.0.0.1', port },
      prometheus: { url: sources.url, timeout: '1s', cacheTtl: '10s' },
      alertmanager: { url: sources.url, timeout: '1s' },
      storage: { path: path.join(dir, 'state.db') },
      failover: { maxDisabledShare: 1, reconcileInterval: '1h', confirmInterval: '1h' },
      actions: {
        templates: [
          { name: 'router', on: ['disabled'], url: `${catcher.url}/router`, body: '{{json decision.scope}}' },
        ],
      },
      logLevel: 'warn',
    }),
  );
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await sources?.close();
  await catcher?.close();
  removeDir(dir);
});

async function startChild(): Promise<ChildProcess> {
  // node itself with tsx's loader (the tsx binary would fork, and SIGKILL would orphan the server).
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    path.join(__dirname, '../../src/main.ts'),
    '--config',
    configFile,
  ];
  const proc = spawn(process.execPath, args, {
    cwd: path.join(REPO_ROOT, 'server'),
    env: {
      ...process.env,
      PROVIDER_HEALTH_TOKEN_READ: TOKENS.read,
      PROVIDER_HEALTH_TOKEN_ADMIN: TOKENS.admin,
      PROVIDER_HEALTH_TOKEN_HOOK: TOKENS.hook,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk) => (stderr += chunk));
  proc.once('exit', (code) => {
    if (code) process.stderr.write(`child server exited with ${code}: ${stderr}\n`);
  });
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`child exited: ${stderr}`);
      return (await fetch(`${url}${API_PATHS.healthz}`)).ok;
    },
    { what: 'child server up', timeoutMs: 30_000, intervalMs: 100 },
  );
  return proc;
}

const exited = (p: ChildProcess) =>
  new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)));

it('keeps every acknowledged notification and acts at most once across a SIGKILL', async () => {
  child = await startChild();
  const http = client(url);
  const acked = new Set<string>();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (!killed && next < PROVIDERS) {
      const a = alert({ provider: `p${next++}`, region: 'r' });
      try {
        const r = await http({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload([a]) });
        if (r.statusCode === 200) acked.add(a.fingerprint);
      } catch {
        // The connection died with the process: not acknowledged.
      }
    }
  };
  const senders = Promise.all(Array.from({ length: 8 }, sender));
  await waitFor(() => acked.size >= 60, { what: '60 acknowledged notifications', timeoutMs: 30_000, intervalMs: 5 });
  child.kill('SIGKILL');
  killed = true;
  await exited(child);
  await senders;
  expect(acked.size).toBeGreaterThanOrEqual(60);

  child = await startChild();
  const rows = (
    await http({ method: 'GET', url: `${API_PATHS.audit}?kind=notification&limit=10000`, headers: bearer('admin') })
  ).json().rows;
  const recorded = new Set(rows.map((r: { fingerprint: string }) => r.fingerprint));
  const lost = [...acked].filter((fp) => !recorded.has(fp));
  expect(lost).toEqual([]);

  // Alertmanager re-delivers everything it was not sure about: acknowledged ones are duplicates.
  const sent = Array.from({ length: next }, (_, i) => alert({ provider: `p${i}`, region: 'r' }));
  const again = (
    await http({ method: 'POST', url: API_PATHS.hook, headers: bearer('hook'), payload: payload(sent) })
  ).json();
  for (const m of again.marks) if (acked.has(m.fingerprint)) expect(m.mark).toBe('duplicate');

  const decisions = (
    await http({ method: 'GET', url: `${API_PATHS.audit}?kind=decision&limit=10000`, headers: bearer('admin') })
  ).json().rows;
  const perScope = new Map<string, number>();
  for (const d of decisions) perScope.set(d.scopeKey, (perScope.get(d.scopeKey) ?? 0) + 1);
  expect([...perScope.values()].every((n) => n === 1)).toBe(true);
  expect(perScope.size).toBe(next);

  // Every disable action is delivered; an idempotency key repeats only for the one in flight at the kill.
  await waitFor(() => new Set(catcher.requests.map((r) => r.headers['idempotency-key'])).size === next, {
    what: `${next} distinct router actions`,
    timeoutMs: 20_000,
  });
  const keys = catcher.requests.map((r) => String(r.headers['idempotency-key']));
  expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(1);
  child.kill('SIGTERM');
  await exited(child);
  child = undefined;
});
