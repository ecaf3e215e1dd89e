// The standard OTEL_* variables the package reads itself (the SDK's periodic reader reads none of them).
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface EnvConfig {
  disabled: boolean;
  metricsExporters: Set<string>;
  /** OTEL_TRACES_EXPORTER=none turns spans off; otherwise spans follow OTLP. */
  tracesOff: boolean;
  protocol: OtlpProtocol | undefined;
  exportIntervalMs: number | undefined;
  exportTimeoutMs: number | undefined;
  prometheusPort: number | undefined;
  prometheusHost: string | undefined;
  /** OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/metrics. */
  metricsUrl: string | undefined;
  tracesUrl: string | undefined;
  metricsHeaders: Record<string, string> | undefined;
  tracesHeaders: Record<string, string> | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES, with OTEL_SERVICE_NAME over its service.name. */
  resourceAttributes: Record<string, string>;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  return {
    disabled: (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true',
    metricsExporters: new Set(
      (env.OTEL_METRICS_EXPORTER ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
    tracesOff: (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase() === 'none',
    protocol: protocol(env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL),
    exportIntervalMs: positive(env.OTEL_METRIC_EXPORT_INTERVAL, 'OTEL_METRIC_EXPORT_INTERVAL'),
    exportTimeoutMs: positive(env.OTEL_METRIC_EXPORT_TIMEOUT, 'OTEL_METRIC_EXPORT_TIMEOUT'),
    prometheusPort: positive(env.OTEL_EXPORTER_PROMETHEUS_PORT, 'OTEL_EXPORTER_PROMETHEUS_PORT'),
    prometheusHost: env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined,
    metricsUrl: signalUrl(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, env.OTEL_EXPORTER_OTLP_ENDPOINT, 'v1/metrics'),
    tracesUrl: signalUrl(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, env.OTEL_EXPORTER_OTLP_ENDPOINT, 'v1/traces'),
    metricsHeaders: headers(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS),
    tracesHeaders: headers(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS),
    resourceAttributes: {
      ...keyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES'),
      ...(env.OTEL_SERVICE_NAME ? { 'service.name': env.OTEL_SERVICE_NAME } : {}),
    },
  };
}

// Read here rather than by the exporters, so an `env` passed in options is honoured like process.env.
function signalUrl(signal: string | undefined, base: string | undefined, path: string): string | undefined {
  if (signal) return signal;
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/${path}`;
}

const headers = (raw: string | undefined) => (raw ? keyValues(raw, 'OTEL_EXPORTER_OTLP_HEADERS') : undefined);

/** `key1=value1,key2=value2`, values URL-encoded, as the spec defines for headers and resource attributes. */
function keyValues(raw: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`${name}: "${pair}" is not key=value`);
    out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}

function protocol(raw: string | undefined): OtlpProtocol | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'http/protobuf' || raw === 'http/json') return raw;
  throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${raw} is not supported: use http/protobuf (default) or http/json`);
}

function positive(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw} is not a positive number`);
  return n;
}
