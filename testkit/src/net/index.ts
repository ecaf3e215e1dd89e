export * from './freePort';
