// The fetch wrapper with the real openai client (OpenAI and Azure OpenAI) against the testkit's wire server.
import OpenAI, { AzureOpenAI } from 'openai';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { GENAI, LABELS, TOKEN_TYPES } from '@provider-health/schema';
import { startWireServer, type WireServer } from '@provider-health/testkit';
import { createProviderTelemetry, instrumentOpenAiFetch, SPECS, type ProviderTelemetry } from '../../src';
import { histograms, quiet, total } from '../support/points';
import { eventually } from '../support/eventually';

const OPENAI = { provider: 'openai', alias: 'gpt-4o', region: 'us' };
const AZURE = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the wire server please' }];

let wire: WireServer;
let t: ProviderTelemetry;
beforeAll(async () => {
  wire = await startWireServer({ name: 'openai', seed: 1 });
});
afterAll(() => wire.close());
beforeEach(() => {
  wire.faults.clear();
  t = createProviderTelemetry(quiet);
});
afterEach(() => t.shutdown());

const openai = (opts: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey: 'sk-test', baseURL: `${wire.url}/v1`, fetch: instrumentOpenAiFetch(t, OPENAI), ...opts });
const requests = (match: Record<string, string>) => total(t, SPECS.requests.name, match);

describe('openai fetch wrapper', () => {
  it('records a JSON completion with its usage', async () => {
    const res = await openai().chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(await requests({ outcome: 'success', status_code: '200' })).toBe(1);
    expect(await total(t, SPECS.tokens.name, { [LABELS.tokenType]: TOKEN_TYPES[0] })).toBe(res.usage!.prompt_tokens);
    expect(await total(t, SPECS.tokens.name, { [LABELS.tokenType]: TOKEN_TYPES[1] })).toBe(
      res.usage!.completion_tokens,
    );
    expect((await histograms(t, SPECS.latency.name, { outcome: 'success' }))[0].count).toBe(1);
  });

  it('streams: injects include_usage, reads usage from the final chunk and the time to first token', async () => {
    wire.faults.set({ ttftMs: 60 });
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain('Hello from openai');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(await total(t, SPECS.tokens.name, { [LABELS.tokenType]: TOKEN_TYPES[1] })).toBe(usage!.completion_tokens);
    const [ttft] = await histograms(t, SPECS.timeToFirstToken.name);
    expect(ttft.count).toBe(1);
    expect(ttft.sum).toBeGreaterThanOrEqual(0.06);
  });

  it("counts the client's own retries as attempts: 429 with retry-after-ms, then success", async () => {
    wire.faults.set({ status: 429, retryAfterMs: 10, times: 1 });
    await openai({ maxRetries: 2 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(await requests({ outcome: 'rate_limited', status_code: '429' })).toBe(1);
    expect(await requests({ outcome: 'success' })).toBe(1);
    expect(await total(t, SPECS.retries.name, { reason: 'rate_limited' })).toBe(1);
  });

  it('classifies 503, timeouts, resets and streams cut midway', async () => {
    wire.faults.set({ status: 503 }, 'gpt-4o');
    await expect(
      openai({ maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }),
    ).rejects.toThrow();
    wire.faults.set({ hang: true }, 'gpt-4o');
    await expect(
      openai({ maxRetries: 0, timeout: 150 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }),
    ).rejects.toThrow();
    wire.faults.set({ reset: true }, 'gpt-4o');
    await expect(
      openai({ maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }),
    ).rejects.toThrow();
    wire.faults.set({ cutStreamAfterChunks: 2 }, 'gpt-4o');
    const read = async () => {
      const s = await openai({ maxRetries: 0 }).chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
        stream: true,
      });
      for await (const _ of s);
    };
    await read().catch(() => undefined); // the client may end quietly or throw: the attempt is network either way
    expect(await requests({ outcome: 'server_error', status_code: '503' })).toBe(1);
    expect(await requests({ outcome: 'timeout' })).toBe(1);
    expect(await requests({ outcome: 'network' })).toBe(2);
  });

  it('records a stream the caller stops reading as canceled', async () => {
    wire.faults.set({ chunkDelayMs: 20 });
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    for await (const _ of stream) break;
    await eventually(
      () => requests({ outcome: 'canceled', status_code: '200' }),
      (n) => n === 1,
    );
  });

  it('records a caller abort as canceled', async () => {
    wire.faults.set({ hang: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(
      t.withRequestSpan({ model: 'gpt-4o', signal: ac.signal }, () =>
        openai({ maxRetries: 0 }).chat.completions.create(
          { model: 'gpt-4o', messages: MESSAGES },
          { signal: ac.signal },
        ),
      ),
    ).rejects.toThrow();
    expect(await requests({ outcome: 'canceled' })).toBe(1);
  });

  it('works through AzureOpenAI on the deployments path, 429 with x-ms-retry-after-ms', async () => {
    wire.faults.set({ status: 429, retryAfterMs: 10, times: 1 }, 'gpt-4o-prod');
    const azure = new AzureOpenAI({
      apiKey: 'azure-test',
      endpoint: wire.url,
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-prod',
      fetch: instrumentOpenAiFetch(t, AZURE),
      maxRetries: 1,
    });
    const res = await azure.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(res.choices[0].message.content).toContain('Hello');
    expect(wire.log.filter((l) => l.api === 'azure').map((l) => l.result)).toEqual([429, 200]);
    expect(await requests({ provider: 'azure', outcome: 'rate_limited' })).toBe(1);
    expect(await requests({ provider: 'azure', outcome: 'success' })).toBe(1);
  });

  it('records usage when the caller reads the body with text(), and the end of arrayBuffer() reads', async () => {
    const f = instrumentOpenAiFetch(t, OPENAI);
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: MESSAGES }),
    };
    const text = await (await f(`${wire.url}/v1/chat/completions`, init)).text();
    const usage = (JSON.parse(text) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    expect(await total(t, SPECS.tokens.name, { [LABELS.tokenType]: TOKEN_TYPES[0] })).toBe(usage.prompt_tokens);
    expect(await total(t, SPECS.tokens.name, { [LABELS.tokenType]: TOKEN_TYPES[1] })).toBe(usage.completion_tokens);
    await (await f(`${wire.url}/v1/chat/completions`, init)).arrayBuffer();
    expect(await requests({ outcome: 'success' })).toBe(2);
  });

  it('makes a CLIENT span per request with a child per attempt', async () => {
    const spans = new InMemorySpanExporter();
    const traced = createProviderTelemetry({ ...quiet, spanExporter: spans });
    try {
      wire.faults.set({ status: 500, times: 1 });
      const client = new OpenAI({
        apiKey: 'sk-test',
        baseURL: `${wire.url}/v1`,
        maxRetries: 1,
        fetch: instrumentOpenAiFetch(traced, OPENAI),
      });
      await traced.withRequestSpan({ operation: 'chat', model: 'gpt-4o', tenant: 'acme' }, () =>
        client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }),
      );
      await traced.forceFlush();
      const finished = spans.getFinishedSpans();
      const parent = finished.find((s) => s.name === 'chat gpt-4o')!;
      expect(parent.kind).toBe(SpanKind.CLIENT);
      const children = finished.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
      expect(
        children.map((s) => [
          s.attributes[LABELS.outcome],
          s.attributes[GENAI.httpStatusCode],
          s.attributes[GENAI.resendCount],
        ]),
      ).toEqual([
        ['server_error', 500, 0],
        ['success', 200, 1],
      ]);
      expect(await total(traced, SPECS.requests.name, { tenant: 'acme' })).toBe(2);
    } finally {
      await traced.shutdown();
    }
  });
});
