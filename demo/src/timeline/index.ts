export * from './timeline';
export * from './printer';
