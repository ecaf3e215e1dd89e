export * from './binaries';
export * from './net';
export * from './harness';
export * from './wire';
