// A minimal LLM proxy on loopback for the throughput benchmark: each request is forwarded to the upstream
// through fetch, plain (mode off) or through the instrumentation's fetch wrapper with both exporters on.
import { createServer } from 'node:http';
import { createProviderTelemetry, instrumentOpenAiFetch } from '@provider-health/instrumentation';
import { freeLoopbackPort } from '../test/support/net';
import { benchThresholds } from './thresholds';

const [mode, upstream, collector] = process.argv.slice(2);
const D = { provider: 'openai', alias: 'gpt-4o', region: 'us' };

async function main(): Promise<void> {
  let send: typeof fetch = fetch;
  if (mode === 'on') {
    const telemetry = createProviderTelemetry({
      otlp: { url: `${collector}/v1/metrics`, intervalMs: 1000 },
      prometheus: { port: await freeLoopbackPort(), host: '127.0.0.1' },
      tracing: false,
      window: { thresholds: benchThresholds() },
      env: {},
      logger: () => {},
    });
    send = instrumentOpenAiFetch(telemetry, D);
  }
  const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
  let served = 0;
  const server = createServer((req, res) => {
    if (req.url === '/__stats') {
      // CPU time of this process per proxied request: robust to other load on the machine.
      const cpu = process.cpuUsage();
      res.end(JSON.stringify({ cpuMicros: cpu.user + cpu.system, served }));
      return;
    }
    served++;
    req.resume();
    req.on('end', async () => {
      try {
        const up = await send(`${upstream}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await up.text();
        res.writeHead(up.status, { 'content-type': 'application/json' });
        res.end(text);
      } catch {
        res.writeHead(502);
        res.end();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
  });
}

void main();
