export * from './process';
export * from './supervisor';
export * from './ports';
