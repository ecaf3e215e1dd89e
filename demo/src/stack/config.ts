// Renders the runtime configuration of one stack into its temporary folder: the thresholds (repository
// default + demo profile, merged into one file the server also reads), the generated rule file, and
// prometheus.yml / alertmanager.yml with real ports, URLs, the SMTP catcher and a hook token file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOutputs, loadThresholds, formatError } from '@provider-health/rules';
import { API_PATHS, GENERATED_FILES, type ResolvedThresholds, type TokenRole } from '@provider-health/schema';
import { parse, stringify } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_THRESHOLDS = path.join(REPO_ROOT, 'rules', 'thresholds.yaml');
export const DEMO_PROFILE = path.join(REPO_ROOT, 'rules', 'profiles', 'demo.yaml');

export interface Addresses {
  prometheus: string;
  alertmanager: string;
  server: string;
  routerMetrics: string;
  smtp: string;
  webhooks: string;
}

export interface RenderedConfig {
  thresholds: ResolvedThresholds;
  thresholdsFile: string;
  /** Where buildOutputs' repository-relative files go (the server regenerates into it too). */
  outputDir: string;
  ruleFile: string;
  prometheusConfig: string;
  alertmanagerConfig: string;
  serverConfig: string;
  tokens: Record<TokenRole, string>;
  tokenFiles: Record<TokenRole, string>;
  emailTo: string;
}

export interface RenderOptions {
  dir: string;
  addresses: Addresses;
  /** Thresholds files merged in order over the repository default (default: the demo profile). */
  overlays?: string[];
  /** Server failover settings for the demo (short minimum disabled time, frequent reconcile). */
  failover?: Record<string, string | number>;
}

export const EMAIL_TO = 'oncall@example.org';
/** Paths on the webhook catcher: the operator's existing webhook receiver and the dead-man's switch. */
export const WEBHOOK_PATHS = { budget: '/budget', watchdog: '/watchdog' } as const;

export function renderConfig(o: RenderOptions): RenderedConfig {
  const overlays = o.overlays ?? [DEMO_PROFILE];
  const thresholdsFile = path.join(o.dir, 'thresholds.yaml');
  writeAtomic(thresholdsFile, mergedThresholds(DEFAULT_THRESHOLDS, overlays));
  const loaded = loadThresholds({ file: thresholdsFile });
  if (!loaded.ok) throw new Error(`thresholds invalid:\n${loaded.errors.map(formatError).join('\n')}`);

  const tokens = { read: token(), admin: token(), hook: token() };
  const tokenFiles = {} as Record<TokenRole, string>;
  for (const role of Object.keys(tokens) as TokenRole[]) {
    tokenFiles[role] = path.join(o.dir, 'secrets', `${role}-token`);
    writeAtomic(tokenFiles[role], `${tokens[role]}\n`, 0o600);
  }

  const outputDir = path.join(o.dir, 'generated');
  const ruleFile = path.join(outputDir, GENERATED_FILES.rules);
  const a = o.addresses;
  const files = buildOutputs(loaded.resolved, {
    scrapeTargets: [a.routerMetrics],
    serverTarget: a.server,
    prometheusTarget: a.prometheus,
    alertmanagerUrl: `http://${a.alertmanager}`,
    failoverWebhookUrl: `http://${a.server}${API_PATHS.hook}`,
    hookTokenFile: tokenFiles.hook,
    budgetWebhookUrl: `http://${a.webhooks}${WEBHOOK_PATHS.budget}`,
    watchdogUrl: `http://${a.webhooks}${WEBHOOK_PATHS.watchdog}`,
    smtpSmarthost: a.smtp,
    smtpFrom: 'alertmanager@provider-health.demo',
    emailTo: EMAIL_TO,
    ruleFiles: [ruleFile],
    configPath: thresholdsFile,
    skipRuleTests: true,
  });
  for (const [rel, content] of Object.entries(files)) writeAtomic(path.join(outputDir, rel), content);

  // Own copies: the server may regenerate outputDir with its own options; these keep the real addresses.
  const prometheusConfig = path.join(o.dir, 'prometheus', 'prometheus.yml');
  const alertmanagerConfig = path.join(o.dir, 'alertmanager', 'alertmanager.yml');
  writeAtomic(prometheusConfig, files[GENERATED_FILES.prometheus]);
  writeAtomic(alertmanagerConfig, files[GENERATED_FILES.alertmanager]);

  const serverConfig = path.join(o.dir, 'server', 'server.yaml');
  writeAtomic(serverConfig, serverYaml(o, thresholdsFile, outputDir, tokenFiles));
  return {
    thresholds: loaded.resolved,
    thresholdsFile,
    outputDir,
    ruleFile,
    prometheusConfig,
    alertmanagerConfig,
    serverConfig,
    tokens,
    tokenFiles,
    emailTo: EMAIL_TO,
  };
}

/** Demo failover timings: long enough to see probes, short enough to watch the recovery. */
export const DEMO_FAILOVER = {
  probeRatePerMin: 30,
  minDisabled: '30s',
  maxDisabled: '5m',
  reconcileInterval: '10s',
  confirmInterval: '5s',
};

function serverYaml(
  o: RenderOptions,
  thresholdsFile: string,
  outputDir: string,
  tokenFiles: Record<TokenRole, string>,
): string {
  const [host, port] = o.addresses.server.split(':');
  return stringify({
    listen: { host, port: Number(port) },
    tokens: { readFile: tokenFiles.read, adminFile: tokenFiles.admin, hookFile: tokenFiles.hook },
    prometheus: { url: `http://${o.addresses.prometheus}` },
    alertmanager: { url: `http://${o.addresses.alertmanager}` },
    storage: { path: path.join(o.dir, 'server', 'provider-health.db') },
    thresholds: {
      file: thresholdsFile,
      outputDir,
      failoverWebhookUrl: `http://${o.addresses.server}${API_PATHS.hook}`,
      hookTokenFile: tokenFiles.hook,
    },
    failover: { ...DEMO_FAILOVER, ...o.failover },
  });
}

/** The repository default with the overlays merged key by key (as `--overlay` does), as one file. */
function mergedThresholds(base: string, overlays: string[]): string {
  let merged = parse(readFileSync(base, 'utf8')) as unknown;
  for (const file of overlays) merged = deepMerge(merged, parse(readFileSync(file, 'utf8')));
  const from = [base, ...overlays].map((f) => path.relative(REPO_ROOT, f)).join(' + ');
  return `# Rendered by the demo from ${from}; edits here last until the stack stops.\n${stringify(merged)}`;
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
  return out;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const token = () => randomBytes(24).toString('base64url');

export function writeAtomic(file: string, content: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}
