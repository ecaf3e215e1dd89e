export * from './telemetry';
export * from './thresholds';
export * from './rules';
export * from './health';
