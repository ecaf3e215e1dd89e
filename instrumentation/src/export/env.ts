// The standard OTEL_* variables the package reads itself (the SDK's periodic reader reads none of them).
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface EnvConfig {
  disabled: boolean;
  metricsExporters: Set<string>;
  protocol: OtlpProtocol | undefined;
  exportIntervalMs: number | undefined;
  exportTimeoutMs: number | undefined;
  prometheusPort: number | undefined;
  prometheusHost: string | undefined;
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
    protocol: protocol(env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL),
    exportIntervalMs: positive(env.OTEL_METRIC_EXPORT_INTERVAL, 'OTEL_METRIC_EXPORT_INTERVAL'),
    exportTimeoutMs: positive(env.OTEL_METRIC_EXPORT_TIMEOUT, 'OTEL_METRIC_EXPORT_TIMEOUT'),
    prometheusPort: positive(env.OTEL_EXPORTER_PROMETHEUS_PORT, 'OTEL_EXPORTER_PROMETHEUS_PORT'),
    prometheusHost: env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined,
  };
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
