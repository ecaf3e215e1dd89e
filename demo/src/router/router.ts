// Assembles the demo router: upstream clients for every provider, telemetry from the instrumentation
// package (or none, for the benchmark's baseline), routes, and the HTTP server.
import { createProviderTelemetry } from '@provider-health/instrumentation';
import type { ResolvedThresholds } from '@provider-health/schema';
import { listenRouter, type RouterServer } from './http';
import { Routes, type RoutePolicy } from './route';
import { NO_TELEMETRY, type RouterTelemetry } from './telemetry';
import { deploymentsOf, type ProviderKind, type ProviderSpec } from './topology';
import { createUpstream, type Upstream } from './upstreams';

export interface DemoRouterOptions {
  providers: ProviderSpec[];
  /** Base URL per provider kind (the wire servers). */
  upstreamUrls: Record<ProviderKind, string>;
  port?: number;
  /** Instrumentation on (default) or off. */
  instrumentation?:
    | false
    | {
        /** Port of the Prometheus endpoint (/metrics). */
        metricsPort: number;
        thresholds: ResolvedThresholds;
        /** The server's health API and its read token; off when absent. */
        healthApi?: { url: string; token: string; intervalMs?: number };
        logger?: (line: string) => void;
      };
  policy?: RoutePolicy;
  attemptTimeoutMs?: number;
}

export interface DemoRouter extends RouterServer {
  routes: Routes;
  telemetry: RouterTelemetry;
  metricsUrl?: string;
}

export async function startDemoRouter(o: DemoRouterOptions): Promise<DemoRouter> {
  const telemetry = o.instrumentation ? instrumented(o.providers, o.instrumentation) : NO_TELEMETRY;
  const upstreams = new Map<string, Upstream>(
    o.providers.map((p) => [
      p.id,
      createUpstream(p, { urls: o.upstreamUrls, timeoutMs: o.attemptTimeoutMs ?? 120_000 }),
    ]),
  );
  const routes = new Routes(o.providers, upstreams, telemetry, o.policy);
  const server = await listenRouter(routes, o.port ?? 0);
  return {
    ...server,
    routes,
    telemetry,
    metricsUrl: o.instrumentation ? `http://127.0.0.1:${o.instrumentation.metricsPort}/metrics` : undefined,
    async close() {
      await server.close();
      await telemetry.shutdown();
    },
  };
}

function instrumented(
  providers: ProviderSpec[],
  i: Exclude<DemoRouterOptions['instrumentation'], false | undefined>,
): RouterTelemetry {
  return createProviderTelemetry({
    serviceName: 'demo-router',
    otlp: false,
    prometheus: { port: i.metricsPort, host: '127.0.0.1' },
    deployments: deploymentsOf(providers),
    window: { thresholds: i.thresholds },
    healthApi: i.healthApi,
    logger: i.logger,
    env: {},
  });
}
