// Starts the SDK parts: a MeterProvider whose readers get the package's producer, and spans by OTLP.
import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { MeterProvider, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_SERVICE_INSTANCE_ID } from '@opentelemetry/semantic-conventions/incubating';
import { SCOPE } from '../descriptors';
import type { ProviderTelemetryOptions } from '../options';
import type { EnvConfig } from './env';
import { chooseExporters, otlpReader, otlpSpanExporter, prometheusReader } from './exporters';

export interface Sdk {
  meters: MeterProvider;
  traces: BasicTracerProvider | undefined;
  tracer: Tracer | undefined;
}

export function startSdk(
  options: ProviderTelemetryOptions,
  env: EnvConfig,
  producer: MetricProducer,
  say: (key: string, message: string) => void,
): Sdk {
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
      ...env.resourceAttributes,
      ...(options.serviceName ? { [ATTR_SERVICE_NAME]: options.serviceName } : {}),
      ...options.resourceAttributes,
    }),
  );
  const choice = chooseExporters(options.otlp, options.prometheus, env);
  const readers: MetricReader[] = [...(options.metricReaders?.(producer) ?? [])];
  if (choice.otlp) readers.push(otlpReader(choice.otlp, env, producer, say));
  if (choice.prometheus) readers.push(prometheusReader(choice.prometheus, env, producer, say));
  const meters = new MeterProvider({ resource, readers });
  const processors: SpanProcessor[] = [];
  if (options.tracing !== false) {
    if (options.spanExporter) processors.push(new BatchSpanProcessor(options.spanExporter));
    if (choice.otlp && !env.tracesOff) processors.push(new BatchSpanProcessor(otlpSpanExporter(choice.otlp, env, say)));
  }
  const traces = processors.length > 0 ? new BasicTracerProvider({ resource, spanProcessors: processors }) : undefined;
  return { meters, traces, tracer: traces?.getTracer(SCOPE.name, SCOPE.version) };
}
