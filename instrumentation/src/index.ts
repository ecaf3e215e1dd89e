// Public surface: one entry function, its options and record types, and the wrappers for client libraries.
export { createProviderTelemetry, type ProviderTelemetry } from './telemetry';
export type { ProviderTelemetryOptions, WindowOptions } from './options';
export type { AttemptHandle, AttemptRecord, AttemptResult, RouteVerdict } from './types';
export type { RequestInfo } from './tracing/request-scope';
export type { OtlpOptions, PrometheusOptions } from './export/exporters';
export type { OtlpProtocol } from './export/env';
export type { HealthClientOptions, HealthClientStatus } from './health/client';
export type { TenantOptions } from './labels/tenant-policy';
export type { WindowReading } from './window/health-window';
export { SPECS, SCOPE, type InstrumentSpec } from './descriptors';
export { instrumentOpenAiFetch, type OpenAiFetchOptions } from './wrappers/openai-fetch';
export { instrumentBedrock, BEDROCK_MIDDLEWARE_NAME, type BedrockDeployment } from './wrappers/bedrock-middleware';
export { outcomeOfStatus, outcomeOfError, outcomeOfAwsError } from './wrappers/classify';
