// Router throughput under load with the instrumentation on and off: the same router, wire servers and
// clients, alternating runs, median requests/s and the ratio.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadThresholds } from '@provider-health/rules';
import { startWireServer, type WireServer } from '@provider-health/testkit';
import { startDemoRouter } from '../src/router';
import { DEMO_PROVIDERS } from '../src/router/topology';
import { freePort } from '../src/supervisor';
import { DEFAULT_THRESHOLDS, DEMO_PROFILE } from '../src/stack/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = Number(process.env.THROUGHPUT_ROUNDS ?? 5);
const SECONDS = Number(process.env.THROUGHPUT_SECONDS ?? 5);
const CONNECTIONS = 32;

async function measure(
  instrumented: boolean,
  wire: Record<'openai' | 'azure' | 'bedrock', WireServer>,
): Promise<number> {
  const loaded = loadThresholds({ file: DEFAULT_THRESHOLDS, overlays: [DEMO_PROFILE] });
  if (!loaded.ok) throw new Error('thresholds invalid');
  const router = await startDemoRouter({
    providers: DEMO_PROVIDERS,
    upstreamUrls: { openai: wire.openai.url, azure: wire.azure.url, bedrock: wire.bedrock.url },
    instrumentation: instrumented ? { metricsPort: await freePort(), thresholds: loaded.resolved } : false,
  });
  try {
    const result = await loadFromChild(`${router.url}/v1/chat/completions`);
    if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    return result.requests.average;
  } finally {
    await router.close();
  }
}

/** autocannon in its own process: in this one it would take event-loop time from the router it measures. */
async function loadFromChild(url: string): Promise<{ requests: { average: number }; non2xx: number; errors: number }> {
  const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      require.resolve('autocannon/autocannon.js'),
      ...['-c', String(CONNECTIONS), '-d', String(SECONDS), '-m', 'POST', '-j'],
      ...['-H', 'content-type=application/json', '-H', 'x-tenant-id=bench', '-b', body, url],
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const servers = await Promise.all(['openai', 'azure', 'bedrock'].map((name) => startWireServer({ name })));
  const wire = { openai: servers[0], azure: servers[1], bedrock: servers[2] };
  const on: number[] = [];
  const off: number[] = [];
  try {
    await measure(true, wire); // warm-up: JIT, sockets
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating order, so drift (thermal, other load) hits both sides alike.
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const instrumented of order) (instrumented ? on : off).push(await measure(instrumented, wire));
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  const mOn = median(on);
  const mOff = median(off);
  console.log(
    `\nRouter throughput (${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} alternating rounds, non-streaming gpt-4o)`,
  );
  console.log(
    `  instrumentation off  ${mOff.toFixed(0).padStart(6)} req/s  (runs ${off.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  instrumentation on   ${mOn.toFixed(0).padStart(6)} req/s  (runs ${on.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(`  on/off ratio         ${(mOn / mOff).toFixed(3)}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
