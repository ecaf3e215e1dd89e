// `npm run server -w server -- --config server.yaml`: starts the server until SIGINT/SIGTERM.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load';
import { startServer } from './start';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });
  const given = values.config ?? process.env.PROVIDER_HEALTH_CONFIG;
  // `npm run server -w server` runs in server/; a relative path means the caller's directory.
  const file = given && path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
  const config = loadConfig({ file });
  const server = await startServer(config);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`provider-health server: ${message}\n`);
  process.exit(1);
});
