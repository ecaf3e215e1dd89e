// The wire servers' formats and fault controller, seen with plain HTTP (the real clients are exercised in
// instrumentation/test/integration).
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { FaultController, seededRandom, startWireServer, type WireServer } from './index';

let wire: WireServer;
beforeAll(async () => {
  wire = await startWireServer({ name: 'test', seed: 7 });
});
afterAll(() => wire.close());
beforeEach(() => wire.faults.clear());

const post = (path: string, body: unknown) =>
  fetch(`${wire.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] };

describe('wire server', () => {
  it('answers OpenAI 429s with the error body and both retry headers', async () => {
    wire.faults.set({ status: 429, retryAfterSeconds: 2, retryAfterMs: 1500 });
    const res = await post('/v1/chat/completions', chat);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('retry-after-ms')).toBe('1500');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('serves Azure deployments only with an api-version, with x-ms-retry-after-ms on errors', async () => {
    expect((await post('/openai/deployments/prod/chat/completions', chat)).status).toBe(404);
    wire.faults.set({ status: 429, retryAfterMs: 250 }, 'prod');
    const limited = await post('/openai/deployments/prod/chat/completions?api-version=2024-10-21', chat);
    expect(limited.headers.get('x-ms-retry-after-ms')).toBe('250');
    const other = await post('/openai/deployments/other/chat/completions?api-version=2024-10-21', chat);
    expect(other.status).toBe(200);
  });

  it('streams SSE with a usage chunk only when include_usage is set', async () => {
    const read = async (body: unknown) => (await post('/v1/chat/completions', body)).text();
    const without = await read({ ...chat, stream: true });
    const withUsage = await read({ ...chat, stream: true, stream_options: { include_usage: true } });
    expect(without.trim().endsWith('data: [DONE]')).toBe(true);
    expect(without).not.toContain('"prompt_tokens"');
    expect(withUsage).toContain('"choices":[],"usage":{"prompt_tokens"');
  });

  it('frames Bedrock ConverseStream as AWS event-stream messages ending with metadata', async () => {
    const res = await post('/model/m1/converse-stream', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const types: string[] = [];
    for (let at = 0; at < bytes.length;) {
      const len = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0);
      types.push(String(codec.decode(bytes.subarray(at, at + len)).headers[':event-type'].value));
      at += len;
    }
    expect(types[0]).toBe('messageStart');
    expect(types.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
  });

  it('names Bedrock errors in x-amzn-errortype', async () => {
    wire.faults.set({ status: 429 }, 'm1');
    const res = await post('/model/m1/converse', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
  });

  it('takes faults over HTTP and refuses bad specs', async () => {
    const put = (spec: unknown) =>
      fetch(`${wire.url}/__faults?deployment=gpt-4o`, { method: 'PUT', body: JSON.stringify(spec) });
    expect((await put({ status: 200 })).status).toBe(400);
    expect((await put({ status: 503, times: 1 })).status).toBe(200);
    expect((await post('/v1/chat/completions', chat)).status).toBe(503);
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
  });

  it('resets, cuts streams and hangs until the client gives up', async () => {
    wire.faults.set({ reset: true });
    await expect(post('/v1/chat/completions', chat)).rejects.toThrow();
    wire.faults.set({ cutStreamAfterChunks: 1 });
    const cut = await post('/v1/chat/completions', { ...chat, stream: true });
    await expect(cut.text()).rejects.toThrow();
    wire.faults.set({ hang: true });
    await expect(
      fetch(`${wire.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(chat),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
  });
});

describe('fault controller', () => {
  it('applies an error rate reproducibly with a seed, per deployment over the global fault', () => {
    const count = (seed: number) => {
      const f = new FaultController(seededRandom(seed));
      f.set({ status: 500, errorRate: 0.3 });
      f.set({ latencyMs: 5 }, 'calm');
      let failed = 0;
      for (let i = 0; i < 1000; i++) if (f.decide('busy').fail) failed++;
      expect(f.decide('calm')).toEqual({ spec: { latencyMs: 5 }, fail: false, delayMs: 5 });
      return failed;
    };
    expect(count(1)).toBe(count(1));
    expect(count(1)).toBeGreaterThan(200);
    expect(count(1)).toBeLessThan(400);
  });
});
