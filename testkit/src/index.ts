export * from './binaries';
