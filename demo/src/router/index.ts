export * from './http';
export * from './outcome';
export * from './route';
export * from './router';
export * from './telemetry';
export * from './topology';
export * from './upstreams';
