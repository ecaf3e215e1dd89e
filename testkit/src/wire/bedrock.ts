// Bedrock runtime on the wire: Converse, ConverseStream and InvokeModelWithResponseStream with AWS
// event-stream framing, InvokeModel with the token-count headers, and restJson1 error bodies.
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { FaultSpec } from './faults';
import { kill, open, sendJson, sleep, tokensOf } from './http-util';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export type BedrockOperation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';
export const BEDROCK_OPERATIONS: readonly BedrockOperation[] = [
  'converse',
  'converse-stream',
  'invoke',
  'invoke-with-response-stream',
];

const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

export function bedrockError(res: ServerResponse, status: number, spec: FaultSpec): void {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
  const headers: Record<string, string> = {
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'wire-request',
  };
  if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
  const message =
    status === 429 ? 'Too many requests, please wait before trying again.' : `${type} injected by the wire server`;
  sendJson(res, status, { message }, headers);
}

/** The prompt text of a Converse or InvokeModel (Anthropic messages) body. */
export function promptOf(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
  const texts: string[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') texts.push(m.content);
    else if (Array.isArray(m.content))
      for (const c of m.content as Array<{ text?: unknown }>) if (typeof c.text === 'string') texts.push(c.text);
  }
  return texts.join('\n');
}

const parts = (reply: string) => reply.split(/(?<= )/);

export function converse(res: ServerResponse, prompt: string, reply: string): void {
  const input = tokensOf(prompt);
  const output = parts(reply).length;
  sendJson(res, 200, {
    output: { message: { role: 'assistant', content: [{ text: reply }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
    metrics: { latencyMs: 1 },
  });
}

export function invokeModel(res: ServerResponse, modelId: string, prompt: string, reply: string): void {
  const input = tokensOf(prompt);
  const output = parts(reply).length;
  sendJson(
    res,
    200,
    {
      id: 'msg_wire',
      type: 'message',
      role: 'assistant',
      model: modelId,
      content: [{ type: 'text', text: reply }],
      stop_reason: 'end_turn',
      usage: { input_tokens: input, output_tokens: output },
    },
    {
      'x-amzn-bedrock-input-token-count': String(input),
      'x-amzn-bedrock-output-token-count': String(output),
      'x-amzn-bedrock-invocation-latency': '1',
    },
  );
}

const event = (type: string, body: unknown) =>
  codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });

/** ConverseStream events, or InvokeModelWithResponseStream `chunk` events carrying Anthropic stream JSON. */
export async function eventStream(
  res: ServerResponse,
  op: BedrockOperation,
  prompt: string,
  reply: string,
  spec: FaultSpec,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'wire-request' });
  res.flushHeaders();
  const input = tokensOf(prompt);
  const pieces = parts(reply);
  const output = pieces.length;
  const chunk = (payload: unknown) =>
    event('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });
  const converseStream = op === 'converse-stream';
  res.write(
    converseStream
      ? event('messageStart', { role: 'assistant' })
      : chunk({
          type: 'message_start',
          message: { role: 'assistant', usage: { input_tokens: input, output_tokens: 0 } },
        }),
  );
  await sleep(spec.ttftMs ?? 0);
  for (let i = 0; i < pieces.length; i++) {
    if (!open(res)) return;
    if (spec.cutStreamAfterChunks !== undefined && i >= spec.cutStreamAfterChunks) {
      kill(res);
      return;
    }
    res.write(
      converseStream
        ? event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: pieces[i] } })
        : chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: pieces[i] } }),
    );
    if (i < pieces.length - 1) await sleep(spec.chunkDelayMs ?? 0);
  }
  if (!open(res)) return;
  if (converseStream) {
    res.write(event('contentBlockStop', { contentBlockIndex: 0 }));
    res.write(event('messageStop', { stopReason: 'end_turn' }));
    res.end(
      event('metadata', {
        usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
        metrics: { latencyMs: 1 },
      }),
    );
  } else {
    res.write(chunk({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: output } }));
    res.end(
      chunk({
        type: 'message_stop',
        'amazon-bedrock-invocationMetrics': {
          inputTokenCount: input,
          outputTokenCount: output,
          invocationLatency: 1,
          firstByteLatency: 1,
        },
      }),
    );
  }
}
