export * from './waitFor';
export * from './tempDir';
export * from './children';
export * from './debianShare';
export * from './api';
export * from './prometheus';
export * from './alertmanager';
export * from './vmagent';
