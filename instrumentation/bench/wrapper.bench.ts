// CPU cost of the openai fetch wrapper per call, without network: the base fetch answers an in-memory JSON
// Response and the caller reads it with text(), as the proxy does. Robust to other load on the machine,
// where throughput ratios are not.
import { createProviderTelemetry, instrumentOpenAiFetch } from '@provider-health/instrumentation';
import { freeLoopbackPort } from '../test/support/net';
import { benchThresholds } from './thresholds';

const N = Number(process.env.BENCH_WRAPPER_CALLS ?? 20_000);
const ROUNDS = 5;

async function main(): Promise<void> {
  const telemetry = createProviderTelemetry({
    otlp: { url: 'http://127.0.0.1:9/v1/metrics', intervalMs: 3_600_000 },
    prometheus: { port: await freeLoopbackPort(), host: '127.0.0.1' },
    tracing: false,
    window: { thresholds: benchThresholds() },
    env: {},
    logger: () => {},
  });
  const reply = JSON.stringify({
    id: 'x',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello there' } }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  });
  const base = (async () =>
    new Response(reply, { status: 200, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
  const wrapped = instrumentOpenAiFetch(
    telemetry,
    { provider: 'openai', alias: 'gpt-4o', region: 'us' },
    { fetch: base },
  );
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] }),
  };
  const cpuPerCall = async (f: typeof fetch): Promise<number> => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await (await f('http://upstream/v1/chat/completions', init)).text();
    const c = process.cpuUsage(t0);
    return (c.user + c.system) / N;
  };
  await cpuPerCall(base);
  await cpuPerCall(wrapped);
  const plain: number[] = [];
  const inst: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(await cpuPerCall(base));
    inst.push(await cpuPerCall(wrapped));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [p, i] = [median(plain), median(inst)];
  console.log(`fetch wrapper, CPU per call (median of ${ROUNDS} x ${N}, in-memory upstream):`);
  console.log(
    `  plain fetch + text(): ${p.toFixed(1)} µs; instrumented: ${i.toFixed(1)} µs; overhead ${(i - p).toFixed(1)} µs`,
  );
  await telemetry.shutdown();
}

void main();
