// Per-attempt labels under concurrency: 429 from A, failover to B, success, once and with 100 requests in flight.
import OpenAI, { AzureOpenAI } from 'openai';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { LABELS } from '@provider-health/schema';
import { startWireServer, type WireServer } from '@provider-health/testkit';
import { createProviderTelemetry, instrumentOpenAiFetch, SPECS, type ProviderTelemetry } from '../../src';
import { quiet, total } from '../support/points';

const A = { provider: 'azure', alias: 'gpt-4o', region: 'eastus' };
const B = { provider: 'openai', alias: 'gpt-4o', region: 'us' };
const MESSAGES = [{ role: 'user' as const, content: 'hello' }];

let wireA: WireServer;
let wireB: WireServer;
beforeAll(async () => {
  [wireA, wireB] = await Promise.all([startWireServer({ name: 'azure' }), startWireServer({ name: 'openai' })]);
  wireA.faults.set({ status: 429, retryAfterSeconds: 1 });
});
afterAll(() => Promise.all([wireA.close(), wireB.close()]));

async function routeOnce(t: ProviderTelemetry, a: AzureOpenAI, b: OpenAI, tenant: string): Promise<string> {
  return t.withRequestSpan({ model: 'gpt-4o', tenant }, async () => {
    try {
      const r = await a.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
      return r.choices[0].message.content ?? '';
    } catch (err) {
      if (!(err instanceof OpenAI.APIError) || err.status !== 429) throw err;
      t.failover(A, B.provider, 'rate_limited');
      const r = await b.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
      return r.choices[0].message.content ?? '';
    }
  });
}

describe.each([1, 100])('%i request(s) in flight', (n) => {
  it('labels each attempt with the provider it really went to', async () => {
    const spans = new InMemorySpanExporter();
    const t = createProviderTelemetry({ ...quiet, spanExporter: spans });
    try {
      const a = new AzureOpenAI({
        apiKey: 'k',
        endpoint: wireA.url,
        apiVersion: '2024-10-21',
        deployment: 'gpt-4o',
        maxRetries: 0,
        fetch: instrumentOpenAiFetch(t, A),
      });
      const b = new OpenAI({
        apiKey: 'sk-test',
        baseURL: `${wireB.url}/v1`,
        maxRetries: 0,
        fetch: instrumentOpenAiFetch(t, B),
      });
      const replies = await Promise.all(Array.from({ length: n }, (_, i) => routeOnce(t, a, b, `tenant-${i % 3}`)));
      expect(replies.every((r) => r.includes('Hello from openai'))).toBe(true);
      expect(
        await total(t, SPECS.requests.name, { provider: 'azure', outcome: 'rate_limited', status_code: '429' }),
      ).toBe(n);
      expect(await total(t, SPECS.requests.name, { provider: 'azure' })).toBe(n);
      expect(await total(t, SPECS.requests.name, { provider: 'openai', outcome: 'success' })).toBe(n);
      expect(await total(t, SPECS.requests.name, { provider: 'openai' })).toBe(n);
      expect(
        await total(t, SPECS.failovers.name, {
          provider: 'azure',
          [LABELS.toProvider]: 'openai',
          reason: 'rate_limited',
        }),
      ).toBe(n);
      await t.forceFlush();
      // Every request span has exactly: A rate_limited (resend 0), then B success (resend 1).
      const finished = spans.getFinishedSpans();
      const parents = finished.filter((s) => s.name === 'chat gpt-4o');
      expect(parents).toHaveLength(n);
      for (const p of parents) {
        const children = finished
          .filter((s) => s.parentSpanContext?.spanId === p.spanContext().spanId)
          .map((s) => [s.attributes[LABELS.provider], s.attributes[LABELS.outcome]]);
        expect(children).toEqual([
          ['azure', 'rate_limited'],
          ['openai', 'success'],
        ]);
      }
    } finally {
      await t.shutdown();
    }
  });
});
