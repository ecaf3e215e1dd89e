// Starts the whole local stack on 127.0.0.1: SMTP and webhook catchers, three fault-injecting provider
// wire servers, Prometheus, Alertmanager, the provider-health server and the instrumented demo router.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startWireServer, type WireServer } from '@provider-health/testkit';
import { API_PATHS, type TokenRole } from '@provider-health/schema';
import { startDemoRouter, type DemoRouter } from '../router';
import { DEMO_PROVIDERS, type ProviderKind, type ProviderSpec } from '../router/topology';
import { startSmtpCatcher, type SmtpCatcher } from '../smtp/catcher';
import { Supervisor, freePort, LOOPBACK, type ManagedProcess } from '../supervisor';
import { startWebhookCatcher, type WebhookCatcher } from '../webhook/catcher';
import { DEMO_FAILOVER, renderConfig, writeAtomic, type RenderedConfig } from './config';
import { startAlertmanager, startPrometheus, startServer } from './services';

export interface StackUrls {
  prometheus: string;
  alertmanager: string;
  server: string;
  health: string;
  router: string;
  routerMetrics: string;
  smtp: string;
  webhooks: string;
  wire: Record<ProviderKind, string>;
}

export interface Stack {
  dir: string;
  urls: StackUrls;
  tokens: Record<TokenRole, string>;
  config: RenderedConfig;
  providers: ProviderSpec[];
  processes: { prometheus: ManagedProcess; alertmanager: ManagedProcess; server: ManagedProcess };
  wire: Record<ProviderKind, WireServer>;
  smtp: SmtpCatcher;
  webhooks: WebhookCatcher;
  router: DemoRouter;
  supervisor: Supervisor;
  stop(): Promise<void>;
}

export interface StackOptions {
  supervisor?: Supervisor;
  /** Thresholds overlays over rules/thresholds.yaml (default: rules/profiles/demo.yaml). */
  overlays?: string[];
  /** Server failover settings overriding the demo's. */
  failover?: Record<string, string | number>;
  /** How often the router polls the health API. */
  healthPollMs?: number;
  log?: (line: string) => void;
}

/** Keeps the wire servers' request logs bounded in a stack that runs for hours. */
const WIRE_LOG_KEEP = 10_000;

export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const sup = o.supervisor ?? new Supervisor({ log: o.log });
  const say = o.log ?? (() => undefined);
  try {
    return await assemble(sup, o, say);
  } catch (err) {
    await sup.stopAll();
    throw err;
  }
}

async function assemble(sup: Supervisor, o: StackOptions, say: (l: string) => void): Promise<Stack> {
  const dir = sup.tempDir('stack');
  const smtp = await startSmtpCatcher();
  sup.adopt('smtp catcher', () => smtp.stop());
  const webhooks = await startWebhookCatcher();
  sup.adopt('webhook catcher', () => webhooks.stop());
  const wire = await startWireServers(sup);

  const [promPort, amPort, serverPort, metricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const addr = (p: number) => `${LOOPBACK}:${p}`;
  const config = renderConfig({
    dir,
    overlays: o.overlays,
    failover: o.failover,
    addresses: {
      prometheus: addr(promPort),
      alertmanager: addr(amPort),
      server: addr(serverPort),
      routerMetrics: addr(metricsPort),
      smtp: smtp.smarthost,
      webhooks: new URL(webhooks.url).host,
    },
  });
  for (const d of ['prometheus', 'alertmanager', 'server']) mkdirSync(path.join(dir, d), { recursive: true });

  say('starting Prometheus, Alertmanager and the provider-health server…');
  const [prometheus, alertmanager] = await Promise.all([
    startPrometheus(sup, path.join(dir, 'prometheus'), config.prometheusConfig, addr(promPort)),
    startAlertmanager(sup, path.join(dir, 'alertmanager'), config.alertmanagerConfig, addr(amPort)),
  ]);
  const server = await startServer(sup, path.join(dir, 'server'), config.serverConfig, addr(serverPort));

  const serverUrl = `http://${addr(serverPort)}`;
  const router = await startDemoRouter({
    providers: DEMO_PROVIDERS,
    upstreamUrls: { openai: wire.openai.url, azure: wire.azure.url, bedrock: wire.bedrock.url },
    instrumentation: {
      // Probes of deployments only the in-process window holds back, just under the server's probe rate.
      localProbeRatePerMin: DEMO_FAILOVER.probeRatePerMin / 1.1,
      metricsPort,
      thresholds: config.thresholds,
      healthApi: { url: serverUrl, token: config.tokens.read, intervalMs: o.healthPollMs ?? 2_000 },
      logger: (l) => say(`router: ${l}`),
    },
  });
  sup.adopt('router', () => router.close());

  return {
    dir,
    urls: {
      prometheus: `http://${addr(promPort)}`,
      alertmanager: `http://${addr(amPort)}`,
      server: serverUrl,
      health: `${serverUrl}${API_PATHS.health}`,
      router: router.url,
      routerMetrics: router.metricsUrl!,
      smtp: smtp.smarthost,
      webhooks: webhooks.url,
      wire: { openai: wire.openai.url, azure: wire.azure.url, bedrock: wire.bedrock.url },
    },
    tokens: config.tokens,
    config,
    providers: DEMO_PROVIDERS,
    processes: { prometheus, alertmanager, server },
    wire,
    smtp,
    webhooks,
    router,
    supervisor: sup,
    stop: () => sup.stopAll(),
  };
}

async function startWireServers(sup: Supervisor): Promise<Record<ProviderKind, WireServer>> {
  const entries = await Promise.all(
    (['openai', 'azure', 'bedrock'] as const).map(async (kind, i) => {
      const server = await startWireServer({ name: kind, seed: 1000 + i });
      sup.adopt(`${kind} wire server`, () => server.close());
      return [kind, server] as const;
    }),
  );
  const wire = Object.fromEntries(entries) as Record<ProviderKind, WireServer>;
  const trim = setInterval(() => {
    for (const w of Object.values(wire))
      if (w.log.length > WIRE_LOG_KEEP * 2) w.log.splice(0, w.log.length - WIRE_LOG_KEEP);
  }, 10_000);
  trim.unref();
  sup.adopt('wire log trimming', async () => clearInterval(trim));
  return wire;
}

/** Writes the stack's URLs (and the read token, which the health API needs) for other tools. */
export function writeUrlsFile(file: string, stack: Stack): void {
  writeAtomic(
    file,
    `${JSON.stringify({ ...stack.urls, readToken: stack.tokens.read, readTokenFile: stack.config.tokenFiles.read, dir: stack.dir, pid: process.pid }, null, 2)}\n`,
    0o600,
  );
}
