// The Bedrock middleware with the real @aws-sdk/client-bedrock-runtime against the testkit's wire server.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { LABELS, TOKEN_TYPES } from '@provider-health/schema';
import { startWireServer, type WireServer } from '@provider-health/testkit';
import { createProviderTelemetry, instrumentBedrock, SPECS, type ProviderTelemetry } from '../../src';
import { histograms, quiet, total } from '../support/points';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const DEPLOYMENT = { provider: 'bedrock', alias: 'claude-haiku', region: 'us-east-1' };
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Say hello to the wire server please' }] }];

let wire: WireServer;
let t: ProviderTelemetry;
beforeAll(async () => {
  wire = await startWireServer({ name: 'bedrock', seed: 2 });
});
afterAll(() => wire.close());
beforeEach(() => {
  wire.faults.clear();
  t = createProviderTelemetry(quiet);
});
afterEach(() => t.shutdown());

function client(maxAttempts = 1): BedrockRuntimeClient {
  const c = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: wire.url,
    credentials: { accessKeyId: 'AKIDWIRE', secretAccessKey: 'wire-secret' },
    maxAttempts,
  });
  instrumentBedrock(c, t, (modelId) => (modelId === MODEL ? DEPLOYMENT : undefined));
  return c;
}
const requests = (match: Record<string, string>) => total(t, SPECS.requests.name, match);
const tokens = (type: string) => total(t, SPECS.tokens.name, { [LABELS.tokenType]: type });

describe('bedrock middleware', () => {
  it('records Converse with its usage', async () => {
    const out = await client().send(new ConverseCommand({ modelId: MODEL, messages: MESSAGES }));
    expect(await requests({ outcome: 'success', status_code: '200' })).toBe(1);
    expect(await tokens(TOKEN_TYPES[0])).toBe(out.usage!.inputTokens);
    expect(await tokens(TOKEN_TYPES[1])).toBe(out.usage!.outputTokens);
  });

  it('reads ConverseStream usage from the metadata event and the time to first token', async () => {
    wire.faults.set({ ttftMs: 50 });
    const out = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages: MESSAGES }));
    let text = '';
    let outputTokens = 0;
    for await (const ev of out.stream!) {
      text += ev.contentBlockDelta?.delta?.text ?? '';
      outputTokens = ev.metadata?.usage?.outputTokens ?? outputTokens;
    }
    expect(text).toContain('Hello from bedrock');
    expect(outputTokens).toBeGreaterThan(0);
    expect(await tokens(TOKEN_TYPES[1])).toBe(outputTokens);
    const [ttft] = await histograms(t, SPECS.timeToFirstToken.name);
    expect(ttft.count).toBe(1);
    expect(ttft.sum).toBeGreaterThanOrEqual(0.05);
  });

  it('reads InvokeModel token headers and InvokeModelWithResponseStream invocation metrics', async () => {
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 50,
      messages: MESSAGES.map((m) => ({ role: m.role, content: m.content[0].text })),
    });
    const c = client();
    await c.send(new InvokeModelCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    const afterInvoke = await tokens(TOKEN_TYPES[1]);
    expect(afterInvoke).toBeGreaterThan(0);
    const out = await c.send(
      new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body, contentType: 'application/json' }),
    );
    for await (const _ of out.body!);
    expect(await tokens(TOKEN_TYPES[1])).toBe(2 * afterInvoke);
    expect(await requests({ outcome: 'success' })).toBe(2);
  });

  it("records each of the SDK's retries: throttling is rate_limited", async () => {
    wire.faults.set({ status: 429, times: 1 }, MODEL);
    const before = wire.log.length;
    await client(2).send(new ConverseCommand({ modelId: MODEL, messages: MESSAGES }));
    expect(wire.log.slice(before).map((l) => l.result)).toEqual([429, 200]);
    expect(await requests({ outcome: 'rate_limited', status_code: '429' })).toBe(1);
    expect(await requests({ outcome: 'success' })).toBe(1);
    expect(await total(t, SPECS.retries.name, { reason: 'rate_limited' })).toBe(1);
  });

  it('classifies 503, resets and event streams cut midway', async () => {
    wire.faults.set({ status: 503 }, MODEL);
    await expect(client().send(new ConverseCommand({ modelId: MODEL, messages: MESSAGES }))).rejects.toThrow();
    wire.faults.set({ reset: true }, MODEL);
    await expect(client().send(new ConverseCommand({ modelId: MODEL, messages: MESSAGES }))).rejects.toThrow();
    wire.faults.set({ cutStreamAfterChunks: 1 }, MODEL);
    const read = async () => {
      const out = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages: MESSAGES }));
      for await (const _ of out.stream!);
    };
    await read().catch(() => undefined);
    expect(await requests({ outcome: 'server_error', status_code: '503' })).toBe(1);
    expect(await requests({ outcome: 'network' })).toBe(2);
  });

  it('records a stream the caller stops iterating as canceled', async () => {
    wire.faults.set({ chunkDelayMs: 20 });
    const out = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages: MESSAGES }));
    for await (const _ of out.stream!) break;
    expect(await requests({ outcome: 'canceled', status_code: '200' })).toBe(1);
  });

  it('leaves models without a deployment alone', async () => {
    await client().send(new ConverseCommand({ modelId: 'other.model', messages: MESSAGES }));
    expect(await requests({})).toBe(0);
  });
});
