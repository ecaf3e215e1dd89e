// Starts the whole server: storage, loops and the HTTP listener; returns a handle to stop it.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config/types';
import { buildApp } from './http/app';
import { Service } from './service';

export interface RunningServer {
  url: string;
  service: Service;
  app: FastifyInstance;
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig, options: { logger?: boolean } = {}): Promise<RunningServer> {
  const service = new Service(config);
  const app = buildApp(service, options.logger ?? true);
  try {
    await service.start();
    const address = await app.listen({ host: config.listen.host, port: config.listen.port });
    return {
      url: address,
      service,
      app,
      stop: async () => {
        await app.close();
        await service.stop();
      },
    };
  } catch (error) {
    await app.close();
    await service.stop();
    throw error;
  }
}
