// Public API of @provider-health/rules: load + validate thresholds, build the generated files.
export * from './config';
export * from './build';
