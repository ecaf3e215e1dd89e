// Public surface: start the server from a configuration, or load the configuration first.
export { loadConfig, ConfigError } from './config/load';
export { defaultConfig } from './config/defaults';
export type { ServerConfig, ActionTemplate } from './config/types';
export { startServer, type RunningServer } from './start';
