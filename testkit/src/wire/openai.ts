// OpenAI and Azure OpenAI chat completions on the wire: JSON and SSE (with the usage chunk when
// stream_options.include_usage is set), and each API's error bodies and retry headers.
import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './faults';
import { kill, open, sendJson, sleep, tokensOf } from './http-util';

export type OpenAiFlavour = 'openai' | 'azure';

export interface ChatRequest {
  model: string;
  prompt: string;
  stream: boolean;
  includeUsage: boolean;
}

export function chatRequestOf(body: Record<string, unknown>, deployment?: string): ChatRequest {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
  const streamOptions = (body.stream_options ?? {}) as { include_usage?: boolean };
  return {
    model: deployment ?? String(body.model ?? 'unknown'),
    prompt: messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'),
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
  };
}

export function openAiError(res: ServerResponse, flavour: OpenAiFlavour, status: number, spec: FaultSpec): void {
  const headers: Record<string, string> = {};
  if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
  if (spec.retryAfterMs !== undefined) {
    headers['retry-after-ms'] = String(spec.retryAfterMs);
    if (flavour === 'azure') headers['x-ms-retry-after-ms'] = String(spec.retryAfterMs);
  }
  const limited = status === 429;
  const message = limited
    ? 'Rate limit reached for requests'
    : status >= 500
      ? 'The server had an error while processing your request.'
      : 'Invalid request';
  const body =
    flavour === 'azure'
      ? { error: { code: limited ? '429' : status >= 500 ? 'InternalServerError' : 'BadRequest', message, status } }
      : {
          error: {
            message,
            type: limited ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
            param: null,
            code: limited ? 'rate_limit_exceeded' : null,
          },
        };
  sendJson(res, status, body, headers);
}

const words = (reply: string) => reply.split(/(?<= )/);

export function chatCompletion(res: ServerResponse, req: ChatRequest, reply: string): void {
  const usage = usageOf(req, reply);
  sendJson(res, 200, {
    id: 'chatcmpl-wire',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
  });
}

/** Streams the reply as SSE chunks; returns after [DONE] or when the fault cuts the stream. */
export async function chatCompletionStream(
  res: ServerResponse,
  req: ChatRequest,
  reply: string,
  spec: FaultSpec,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-wire', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: req.model, choices, ...extra })}\n\n`;
  await sleep(spec.ttftMs ?? 0);
  const parts = words(reply);
  for (let i = 0; i < parts.length; i++) {
    if (!open(res)) return;
    if (spec.cutStreamAfterChunks !== undefined && i >= spec.cutStreamAfterChunks) {
      kill(res);
      return;
    }
    const delta = i === 0 ? { role: 'assistant', content: parts[i] } : { content: parts[i] };
    res.write(
      chunk([{ index: 0, delta, logprobs: null, finish_reason: null }], req.includeUsage ? { usage: null } : {}),
    );
    if (i < parts.length - 1) await sleep(spec.chunkDelayMs ?? 0);
  }
  if (!open(res)) return;
  res.write(
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], req.includeUsage ? { usage: null } : {}),
  );
  if (req.includeUsage) res.write(chunk([], { usage: usageOf(req, reply) }));
  res.end('data: [DONE]\n\n');
}

function usageOf(req: ChatRequest, reply: string) {
  const prompt = tokensOf(req.prompt);
  const completion = words(reply).length;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
