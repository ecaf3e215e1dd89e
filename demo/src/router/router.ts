// Assembles the demo router: upstream clients for every deployment (wrapped by the instrumentation's
// fetch and Bedrock middleware), routes, and the HTTP server. With instrumentation off (the throughput
// benchmark's baseline) the same clients run bare.
import {
  createProviderTelemetry,
  instrumentBedrock,
  instrumentOpenAiFetch,
  type ProviderTelemetry,
} from '@provider-health/instrumentation';
import type { ResolvedThresholds } from '@provider-health/schema';
import { listenRouter, type RouterServer } from './http';
import { Routes, type RoutePolicy } from './route';
import { NO_TELEMETRY, type RouterTelemetry } from './telemetry';
import { deploymentKey, deploymentsOf, type ProviderKind, type ProviderSpec } from './topology';
import { createUpstream, type Upstream, type UpstreamEndpoints } from './upstreams';

export interface InstrumentationSettings {
  /** Port of the Prometheus endpoint (/metrics). */
  metricsPort: number;
  thresholds: ResolvedThresholds;
  /** The server's health API and its read token; off when absent. */
  healthApi?: { url: string; token: string; intervalMs?: number };
  logger?: (line: string) => void;
  /** Probes per minute to a deployment only the in-process window holds back (instrumentation default otherwise). */
  localProbeRatePerMin?: number;
}

export interface DemoRouterOptions {
  providers: ProviderSpec[];
  /** Base URL per provider kind (the wire servers). */
  upstreamUrls: Record<ProviderKind, string>;
  port?: number;
  /** Instrumentation settings, or false for none. */
  instrumentation: InstrumentationSettings | false;
  policy?: RoutePolicy;
  attemptTimeoutMs?: number;
}

export interface DemoRouter extends RouterServer {
  routes: Routes;
  telemetry: RouterTelemetry;
  /** The instrumentation's handles (health client status, window readings), when instrumented. */
  instrumentation?: ProviderTelemetry;
  metricsUrl?: string;
}

export async function startDemoRouter(o: DemoRouterOptions): Promise<DemoRouter> {
  const telemetry = o.instrumentation ? instrumented(o.providers, o.instrumentation) : undefined;
  const endpoints: UpstreamEndpoints = {
    urls: o.upstreamUrls,
    timeoutMs: o.attemptTimeoutMs ?? 120_000,
    ...(telemetry && {
      fetchFor: (d) => instrumentOpenAiFetch(telemetry, d),
      instrumentBedrock: (client, d) => instrumentBedrock(client, telemetry, d),
    }),
  };
  const upstreams = new Map<string, Upstream>();
  for (const p of o.providers) {
    for (const d of deploymentsOf([p])) upstreams.set(deploymentKey(d), createUpstream(p, d, endpoints));
  }
  const routes = new Routes(o.providers, upstreams, telemetry ?? NO_TELEMETRY, o.policy);
  const server = await listenRouter(routes, o.port ?? 0);
  return {
    ...server,
    routes,
    telemetry: telemetry ?? NO_TELEMETRY,
    instrumentation: telemetry,
    metricsUrl: o.instrumentation ? `http://127.0.0.1:${o.instrumentation.metricsPort}/metrics` : undefined,
    async close() {
      await server.close();
      await telemetry?.shutdown();
    },
  };
}

function instrumented(providers: ProviderSpec[], i: InstrumentationSettings): ProviderTelemetry {
  return createProviderTelemetry({
    serviceName: 'demo-router',
    otlp: false,
    prometheus: { port: i.metricsPort, host: '127.0.0.1' },
    deployments: deploymentsOf(providers),
    window: { thresholds: i.thresholds, probeRatePerMin: i.localProbeRatePerMin },
    healthApi: i.healthApi,
    logger: i.logger,
    // The demo sets everything explicitly; OTEL_* from the operator's shell would change what it shows.
    env: {},
  });
}
