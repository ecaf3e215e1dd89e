// The router's OpenAI-compatible HTTP surface: POST /v1/chat/completions (JSON or SSE), GET /v1/models,
// GET /healthz, GET /stats.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Classified } from './outcome';
import type { RouteResult, Routes } from './route';
import type { ChatInput, ChatMessage, StreamEvent } from './upstreams';

const MAX_BODY_BYTES = 1024 * 1024;
export const TENANT_HEADER = 'x-tenant-id';
/** Which provider served the request; the load generator counts by it. */
export const PROVIDER_HEADER = 'x-provider';

export interface RouterServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listenRouter(routes: Routes, port = 0, host = '127.0.0.1'): Promise<RouterServer> {
  const server = http.createServer((req, res) => {
    handle(routes, req, res).catch((err: Error) => sendError(res, 500, 'internal_error', err.message));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
  if (req.method === 'GET' && path === '/stats') return sendJson(res, 200, routes.stats);
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, {
      object: 'list',
      data: routes.aliases().map((id) => ({ id, object: 'model', owned_by: 'router' })),
    });
  }
  if (path !== '/v1/chat/completions') return sendError(res, 404, 'not_found', `no route for ${req.method} ${path}`);
  if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST');

  const body = await readJson(req);
  const parsed = parseChatRequest(body);
  if ('error' in parsed) return sendError(res, 400, 'invalid_request_error', parsed.error);
  const tenant = String(req.headers[TENANT_HEADER] ?? parsed.user ?? 'anonymous');
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const result = await routes.route({
    alias: parsed.model,
    input: parsed.input,
    stream: parsed.stream,
    tenant,
    signal: abort.signal,
  });
  if (!result.ok) return sendRouteError(res, result.error);
  if ('reply' in result) return sendCompletion(res, parsed.model, result);
  return sendStream(res, parsed.model, result);
}

interface ParsedChat {
  model: string;
  stream: boolean;
  user?: string;
  input: ChatInput;
}

function parseChatRequest(body: unknown): ParsedChat | { error: string } {
  const b = body as { model?: unknown; messages?: unknown; stream?: unknown; user?: unknown; max_tokens?: unknown };
  if (!b || typeof b !== 'object') return { error: 'body must be a JSON object' };
  if (typeof b.model !== 'string' || b.model === '')
    return { error: "'model' must be a non-empty string (a router alias)" };
  if (!Array.isArray(b.messages) || b.messages.length === 0) return { error: "'messages' must be a non-empty array" };
  const messages: ChatMessage[] = [];
  for (const m of b.messages as Array<{ role?: unknown; content?: unknown }>) {
    if (!['system', 'user', 'assistant'].includes(String(m?.role)) || typeof m?.content !== 'string') {
      return { error: 'each message needs role (system, user or assistant) and string content' };
    }
    messages.push({ role: m.role as ChatMessage['role'], content: m.content });
  }
  return {
    model: b.model,
    stream: b.stream === true,
    user: typeof b.user === 'string' ? b.user : undefined,
    input: { messages, maxTokens: typeof b.max_tokens === 'number' ? b.max_tokens : undefined },
  };
}

function sendCompletion(res: ServerResponse, alias: string, r: Extract<RouteResult, { reply: unknown }>): void {
  const u = r.reply.usage;
  res.setHeader(PROVIDER_HEADER, r.deployment.provider);
  sendJson(res, 200, {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: alias,
    choices: [{ index: 0, message: { role: 'assistant', content: r.reply.text }, finish_reason: 'stop' }],
    usage: u ? { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output } : undefined,
  });
}

async function sendStream(
  res: ServerResponse,
  alias: string,
  r: Extract<RouteResult, { stream: unknown }>,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    [PROVIDER_HEADER]: r.deployment.provider,
  });
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: alias, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  try {
    for await (const e of r.stream as AsyncIterable<StreamEvent>) {
      if ('text' in e) res.write(chunk({ content: e.text }));
      else
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: alias, choices: [], usage: { prompt_tokens: e.usage.input, completion_tokens: e.usage.output, total_tokens: e.usage.input + e.usage.output } })}\n\n`,
        );
    }
    res.write('data: [DONE]\n\n');
  } catch (err) {
    // Headers are gone; the stream can only end with an error event.
    res.write(`data: ${JSON.stringify({ error: { message: (err as Error).message, type: 'upstream_error' } })}\n\n`);
  }
  res.end();
}

function sendRouteError(res: ServerResponse, e: Classified): void {
  const status =
    e.outcome === 'rate_limited'
      ? 429
      : e.outcome === 'client_error'
        ? (e.statusCode ?? 400)
        : e.outcome === 'canceled'
          ? 499
          : 502;
  sendError(res, status, e.outcome, e.message);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, status, { error: { message, type, code: null } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
