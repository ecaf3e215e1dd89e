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

/** Mistakes an operator makes at start-up: one line with the fix, not a stack trace. */
function operatorMessage(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e.code === 'EADDRINUSE')
    return `${e.address}:${e.port} is already in use; stop what listens there or set listen.port (PROVIDER_HEALTH_LISTEN_PORT)`;
  if (e.code === 'EADDRNOTAVAIL') return `cannot listen on ${e.address}; set listen.host to an address of this machine`;
  if (e.code?.startsWith('ERR_PARSE_ARGS_')) return `${e.message}; usage: npm run server -w server -- --config FILE`;
  return undefined;
}

main().catch((error: unknown) => {
  const message = operatorMessage(error) ?? (error as Error).stack ?? String(error);
  process.stderr.write(`provider-health server: ${message}\n`);
  process.exit(1);
});
