// Options of createProviderTelemetry.
import type { Attributes } from '@opentelemetry/api';
import type { MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Deployment, ResolvedThresholds } from '@provider-health/schema';
import type { OtlpOptions, PrometheusOptions } from './export/exporters';
import type { HealthClientOptions } from './health/client';
import type { TenantOptions } from './labels/tenant-policy';

export interface WindowOptions {
  /** The resolved thresholds (e.g. from @provider-health/rules): the same levels the alerts use. */
  thresholds: ResolvedThresholds;
  /** Window length; default the thresholds' fast window. */
  seconds?: number;
  /**
   * Probe attempts per minute to a deployment the window holds back before the server decides. Default:
   * twice the deployment's minVolume guard, so Prometheus keeps judging it (see routing.ts).
   */
  probeRatePerMin?: number;
}

export interface ProviderTelemetryOptions {
  /** service.name (OTEL_SERVICE_NAME otherwise). */
  serviceName?: string;
  /** Extra resource attributes; OTEL_RESOURCE_ATTRIBUTES is read too. */
  resourceAttributes?: Attributes;
  /** OTLP/HTTP push; `false` off. Default from OTEL_METRICS_EXPORTER (spec default: otlp). */
  otlp?: OtlpOptions | false;
  /** Prometheus endpoint; `false` off. Default on only when OTEL_METRICS_EXPORTER lists prometheus. */
  prometheus?: PrometheusOptions | false;
  /** Additional readers (e.g. an in-memory reader in tests), built with the package's producer. */
  metricReaders?: (producer: MetricProducer) => MetricReader[];
  /** Additional span exporter (e.g. in-memory); spans also go by OTLP when OTLP is on. */
  spanExporter?: SpanExporter;
  /** Spans on/off; default on when OTLP is on or a spanExporter is given. */
  tracing?: boolean;
  /** Hard limit of series per instrument, overflow series included (default 2000). */
  seriesLimit?: number;
  tenants?: TenantOptions;
  /** Deployments the router can use: exported as provider_routable (the topology) from the start. */
  deployments?: Deployment[];
  /** The in-process health window; off without thresholds. */
  window?: WindowOptions;
  /** The server's health API; off when absent. */
  healthApi?: HealthClientOptions;
  /** Where the rate-limited log lines go (default console.warn). */
  logger?: (message: string) => void;
  /** Environment to read OTEL_* from (default process.env). */
  env?: NodeJS.ProcessEnv;
}
