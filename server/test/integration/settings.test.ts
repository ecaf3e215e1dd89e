// Settings API against a real Prometheus that loads the regenerated rules from the output folder.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_PATHS, GENERATED_FILES, THRESHOLD_SERIES } from '@provider-health/schema';
import {
  REPO_ROOT,
  makeTempDir,
  promQuery,
  removeDir,
  startPrometheus,
  waitFor,
  type PrometheusHandle,
} from '@provider-health/testkit';
import { stringify } from 'yaml';
import { startServer, type RunningServer } from '../../src/start';
import { bearer, testConfig } from '../fixtures/config';
import { startFakeSources, type FakeSources } from '../fixtures/fake-sources';
import { client } from '../fixtures/http';

jest.setTimeout(60_000);

let dir: string;
let prometheus: PrometheusHandle;
let sources: FakeSources;
let server: RunningServer;
let thresholdsFile: string;
let outputDir: string;

async function writePrometheusConfig(extraRuleFiles: string[] = []): Promise<void> {
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [path.join(outputDir, path.dirname(GENERATED_FILES.rules), '*.yml'), ...extraRuleFiles],
  };
  writeFileSync(prometheus.configPath, stringify(config));
  const r = await fetch(`${prometheus.url}/-/reload`, { method: 'POST' });
  if (extraRuleFiles.length === 0 && !r.ok) throw new Error(await r.text());
}

beforeAll(async () => {
  dir = makeTempDir('server-settings');
  thresholdsFile = path.join(dir, 'thresholds.yaml');
  outputDir = path.join(dir, 'out');
  copyFileSync(path.join(REPO_ROOT, 'rules/thresholds.yaml'), thresholdsFile);
  prometheus = await startPrometheus();
  await writePrometheusConfig();
  sources = await startFakeSources();
  server = await startServer(
    testConfig(sources.url, (c) => {
      c.prometheus.url = prometheus.url;
      c.thresholds.file = thresholdsFile;
      c.thresholds.outputDir = outputDir;
    }),
    { logger: false },
  );
});
afterAll(async () => {
  await server?.stop();
  await sources?.close();
  await prometheus?.stop();
  removeDir(dir);
});

const http = () => client(server.url);
const get = async () => {
  const r = await http()({ method: 'GET', url: API_PATHS.settings, headers: bearer('admin') });
  return { etag: r.headers.get('etag')!, body: r.json() };
};
const put = (etag: string | undefined, thresholds: unknown) =>
  http()({
    method: 'PUT',
    url: API_PATHS.settings,
    headers: { ...bearer('admin'), ...(etag ? { 'if-match': etag } : {}) },
    payload: { thresholds },
  });

it('refuses a missing or stale ETag and invalid thresholds, changing nothing', async () => {
  const before = readFileSync(thresholdsFile, 'utf8');
  const { etag, body } = await get();
  expect(body.thresholds.providers.azure.errorRatio.critical).toBe('10%');
  expect((await put(undefined, body.thresholds)).statusCode).toBe(428);
  expect((await put('"stale"', body.thresholds)).statusCode).toBe(412);
  const invalid = structuredClone(body.thresholds);
  invalid.providers.azure.errorRatio.critical = '150%';
  const r = await put(etag, invalid);
  expect(r.statusCode).toBe(422);
  expect(r.json().errors[0]).toMatch(new RegExp(`^${thresholdsFile}:\\d+:\\d+: `));
  expect(readFileSync(thresholdsFile, 'utf8')).toBe(before);
  expect((await http()({ method: 'GET', url: API_PATHS.settings, headers: bearer('read') })).statusCode).toBe(403);
});

it('writes the file keeping comments, regenerates, reloads Prometheus and answers the changed keys', async () => {
  const { etag, body } = await get();
  body.thresholds.providers.azure.errorRatio.critical = '15%';
  const r = await put(etag, body.thresholds);
  expect(r.statusCode).toBe(200);
  expect(r.json().changed).toEqual(['providers.azure.errorRatio.critical']);
  expect(r.json().files).toContain(path.join(outputDir, GENERATED_FILES.rules));
  const text = readFileSync(thresholdsFile, 'utf8');
  expect(text).toMatch(/critical: 15%/);
  const comments = (s: string) => s.split('\n').filter((l) => l.trim().startsWith('#'));
  expect(comments(text).length).toBeGreaterThan(0);
  expect(comments(text)).toEqual(comments(readFileSync(path.join(REPO_ROOT, 'rules/thresholds.yaml'), 'utf8')));
  await waitFor(
    async () => {
      const s = await promQuery(
        prometheus.url,
        `${THRESHOLD_SERIES}{provider="azure",sli="error_ratio",level="critical"}`,
      );
      return s[0]?.value[1] === '0.15';
    },
    { what: 'the new azure threshold in Prometheus', timeoutMs: 15_000 },
  );
  expect((await get()).etag).toBe(r.headers.get('etag'));
  const audit = (
    await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=settings`, headers: bearer('admin') })
  ).json().rows;
  expect(audit[0]).toMatchObject({ role: 'admin', detail: { outcome: 'applied' } });
});

it('restores the previous files when Prometheus refuses the reload', async () => {
  const broken = path.join(dir, 'broken.rules.yml');
  writeFileSync(broken, 'groups: [this is not a rule group');
  await writePrometheusConfig([broken]);
  const rulesFile = path.join(outputDir, GENERATED_FILES.rules);
  const before = { thresholds: readFileSync(thresholdsFile, 'utf8'), rules: readFileSync(rulesFile, 'utf8') };
  const { etag, body } = await get();
  body.thresholds.providers.azure.errorRatio.critical = '12%';
  const r = await put(etag, body.thresholds);
  expect(r.statusCode).toBe(502);
  expect(r.json().error).toMatch(/Prometheus/);
  expect(readFileSync(thresholdsFile, 'utf8')).toBe(before.thresholds);
  expect(readFileSync(rulesFile, 'utf8')).toBe(before.rules);
  expect((await get()).etag).toBe(etag);
  const audit = (
    await http()({ method: 'GET', url: `${API_PATHS.audit}?kind=settings`, headers: bearer('admin') })
  ).json().rows;
  expect(audit[0]).toMatchObject({ role: 'admin', detail: { outcome: 'restored' } });
});
