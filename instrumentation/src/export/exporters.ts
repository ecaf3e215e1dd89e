// Builds the SDK readers and span processors from options and the standard OTEL_* variables. Every
// exporter is wrapped so a failing collector produces one rate-limited log line and nothing else.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  PeriodicExportingMetricReader,
  type MetricProducer,
  type MetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter as OtlpMetricProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as OtlpMetricJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter as OtlpTraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OtlpTraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { EnvConfig, OtlpProtocol } from './env';

export interface OtlpOptions {
  protocol?: OtlpProtocol;
  /** Full metrics URL (…/v1/metrics); default from OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT, else localhost:4318. */
  url?: string;
  /** Full traces URL (…/v1/traces); default from OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  tracesUrl?: string;
  headers?: Record<string, string>;
  /** Push interval; default OTEL_METRIC_EXPORT_INTERVAL, else 60000 ms. */
  intervalMs?: number;
  timeoutMs?: number;
}

export interface PrometheusOptions {
  /** Default OTEL_EXPORTER_PROMETHEUS_PORT, else 9464. */
  port?: number;
  /** Default OTEL_EXPORTER_PROMETHEUS_HOST, else 0.0.0.0 (the SDK's default). */
  host?: string;
  endpoint?: string;
}

export type Log = (key: string, message: string) => void;

export interface ExporterChoice {
  otlp: OtlpOptions | undefined;
  prometheus: PrometheusOptions | undefined;
}

/** Options win; `false` turns an exporter off; otherwise OTEL_METRICS_EXPORTER decides (default otlp). */
export function chooseExporters(
  otlp: OtlpOptions | false | undefined,
  prometheus: PrometheusOptions | false | undefined,
  env: EnvConfig,
): ExporterChoice {
  const fromEnv = env.metricsExporters;
  const envSaysNone = fromEnv.has('none');
  const wantOtlp =
    otlp !== false && (otlp !== undefined || (!envSaysNone && (fromEnv.size === 0 || fromEnv.has('otlp'))));
  const wantProm = prometheus !== false && (prometheus !== undefined || (!envSaysNone && fromEnv.has('prometheus')));
  return { otlp: wantOtlp ? (otlp ?? {}) : undefined, prometheus: wantProm ? (prometheus ?? {}) : undefined };
}

export function otlpReader(o: OtlpOptions, env: EnvConfig, producer: MetricProducer, log: Log): MetricReader {
  const protocol = o.protocol ?? env.protocol ?? 'http/protobuf';
  const config = { url: o.url ?? env.metricsUrl, headers: o.headers ?? env.metricsHeaders, timeoutMillis: o.timeoutMs };
  const inner = protocol === 'http/json' ? new OtlpMetricJson(config) : new OtlpMetricProto(config);
  const interval = o.intervalMs ?? env.exportIntervalMs ?? 60_000;
  return new PeriodicExportingMetricReader({
    exporter: new QuietMetricExporter(inner, log),
    exportIntervalMillis: interval,
    exportTimeoutMillis: Math.min(o.timeoutMs ?? env.exportTimeoutMs ?? 30_000, interval),
    metricProducers: [producer],
  });
}

export function prometheusReader(o: PrometheusOptions, env: EnvConfig, producer: MetricProducer, log: Log) {
  return new PrometheusExporter(
    {
      port: o.port ?? env.prometheusPort ?? 9464,
      host: o.host ?? env.prometheusHost,
      endpoint: o.endpoint,
      metricProducers: [producer],
    },
    (err) => {
      if (err) log('prometheus', `Prometheus endpoint could not start: ${err.message}`);
    },
  );
}

export function otlpSpanExporter(o: OtlpOptions, env: EnvConfig, log: Log): SpanExporter {
  const protocol = o.protocol ?? env.protocol ?? 'http/protobuf';
  const config = {
    url: o.tracesUrl ?? env.tracesUrl,
    headers: o.headers ?? env.tracesHeaders,
    timeoutMillis: o.timeoutMs,
  };
  return new QuietSpanExporter(protocol === 'http/json' ? new OtlpTraceJson(config) : new OtlpTraceProto(config), log);
}

// Failures are logged here, rate-limited, and reported as success so the SDK does not log each one again;
// cumulative metrics lose nothing, the next export carries the totals.
class QuietMetricExporter implements PushMetricExporter {
  readonly selectAggregationTemporality: PushMetricExporter['selectAggregationTemporality'];
  readonly selectAggregation: PushMetricExporter['selectAggregation'];
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly log: Log,
  ) {
    this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
    this.selectAggregation = inner.selectAggregation?.bind(inner);
  }
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    try {
      this.inner.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          this.log('otlp-metrics', `OTLP metrics export failed: ${result.error?.message ?? 'unknown error'}`);
        }
        done({ code: ExportResultCode.SUCCESS });
      });
    } catch (err) {
      this.log('otlp-metrics', `OTLP metrics export threw: ${(err as Error).message}`);
      done({ code: ExportResultCode.SUCCESS });
    }
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush().catch(() => {});
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => {});
  }
}

class QuietSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly log: Log,
  ) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      this.inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          this.log('otlp-traces', `OTLP span export failed: ${result.error?.message ?? 'unknown error'}`);
        }
        done({ code: ExportResultCode.SUCCESS });
      });
    } catch (err) {
      this.log('otlp-traces', `OTLP span export threw: ${(err as Error).message}`);
      done({ code: ExportResultCode.SUCCESS });
    }
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => {});
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.().catch(() => {}) ?? Promise.resolve();
  }
}
