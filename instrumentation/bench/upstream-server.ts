// The benchmark's upstream and collector: the testkit's wire server (OpenAI JSON) and an OTLP sink.
import { createServer } from 'node:http';
import { startWireServer } from '@provider-health/testkit';

async function main(): Promise<void> {
  const wire = await startWireServer({ name: 'bench' });
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  sink.listen(0, '127.0.0.1', () => {
    const collector = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
    process.stdout.write(`${JSON.stringify({ upstream: wire.url, collector })}\n`);
  });
}

void main();
