// Throughput of a loopback LLM proxy with the instrumentation on and off (autocannon, alternating runs):
// target median throughput with it on >= 97% of off.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const RUNS = Number(process.env.BENCH_PROXY_RUNS ?? 7);
const SECONDS = Number(process.env.BENCH_PROXY_SECONDS ?? 4);
// BENCH_PROXY_AA=1 runs both proxies uninstrumented: the spread it shows is the noise floor of this machine.
const AA = process.env.BENCH_PROXY_AA === '1';
const children: ChildProcess[] = [];

function start<T>(script: string, args: string[]): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
  });
}

async function load(port: number, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    method: 'POST',
    connections: 32,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`proxy answered ${result.non2xx} non-2xx and ${result.errors} errors`);
  return result.requests.average;
}

interface Stats {
  cpuMicros: number;
  served: number;
}
const stats = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/__stats`)).json()) as Stats;

/** One run: throughput, and the proxy process's CPU µs per request over the run. */
async function measured(port: number, seconds: number): Promise<{ rps: number; cpuPerRequest: number }> {
  const before = await stats(port);
  const rps = await load(port, seconds);
  const after = await stats(port);
  return { rps, cpuPerRequest: (after.cpuMicros - before.cpuMicros) / (after.served - before.served) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  try {
    const { upstream, collector } = await start<{ upstream: string; collector: string }>('upstream-server.ts', []);
    const off = await start<{ port: number }>('proxy-server.ts', ['off', upstream, collector]);
    const on = await start<{ port: number }>('proxy-server.ts', [AA ? 'off' : 'on', upstream, collector]);
    for (const port of [off.port, on.port, off.port, on.port]) await load(port, 2); // warm-up: JIT, pools, label tuples
    const offRuns: number[] = [];
    const onRuns: number[] = [];
    const offCpu: number[] = [];
    const onCpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first so drift in machine load hits both.
      const order =
        i % 2 === 0
          ? ([
              ['off', off.port],
              ['on', on.port],
            ] as const)
          : ([
              ['on', on.port],
              ['off', off.port],
            ] as const);
      for (const [mode, port] of order) {
        const m = await measured(port, SECONDS);
        (mode === 'on' ? onRuns : offRuns).push(m.rps);
        (mode === 'on' ? onCpu : offCpu).push(m.cpuPerRequest);
      }
    }
    const ratio = median(onRuns) / median(offRuns);
    console.log(
      `proxy throughput, ${RUNS} alternating runs of ${SECONDS}s, 32 connections (req/s)${AA ? ' [A/A: both off]' : ''}:`,
    );
    console.log(
      `  instrumentation off: ${offRuns.map((x) => x.toFixed(0)).join(' ')}  median ${median(offRuns).toFixed(0)}`,
    );
    console.log(
      `  instrumentation on:  ${onRuns.map((x) => x.toFixed(0)).join(' ')}  median ${median(onRuns).toFixed(0)}`,
    );
    console.log(
      `  ratio on/off (median): ${(ratio * 100).toFixed(1)}%  (target >= 97%: ${ratio >= 0.97 ? 'met' : 'NOT met'})`,
    );
    const [cOff, cOn] = [median(offCpu), median(onCpu)];
    console.log(`proxy process CPU per request (median): off ${cOff.toFixed(0)} µs, on ${cOn.toFixed(0)} µs`);
    console.log(
      `  CPU-bound throughput ratio off/on: ${((cOff / cOn) * 100).toFixed(1)}% (CPU of the proxy process; A/A runs show its noise floor)`,
    );
  } finally {
    for (const c of children) c.kill();
  }
}

void main();
