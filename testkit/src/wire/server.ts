// A fault-injecting provider wire server on 127.0.0.1: OpenAI (/v1/chat/completions), Azure OpenAI
// (/openai/deployments/{d}/chat/completions?api-version=) and Bedrock runtime (/model/{id}/{operation}) on one
// port. Faults are set in-process (server.faults) or over HTTP (PUT/DELETE /__faults) by the demo.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { FaultController, seededRandom, type FaultSpec } from './faults';
import { kill, parseJson, readBody, sendJson, sleep } from './http-util';
import { chatCompletion, chatCompletionStream, chatRequestOf, openAiError, type OpenAiFlavour } from './openai';
import {
  BEDROCK_OPERATIONS,
  bedrockError,
  converse,
  eventStream,
  invokeModel,
  promptOf,
  type BedrockOperation,
} from './bedrock';

export interface WireServerOptions {
  /** Name used in replies, e.g. the provider this server plays. */
  name?: string;
  /** The assistant's reply; streamed word by word. */
  reply?: string;
  /** Seed of the fault PRNG, for reproducible error rates. */
  seed?: number;
  /** Entries kept in `log`, oldest dropped first (default 10,000), so a long demo run stays bounded. */
  logLimit?: number;
}

export interface WireRequestLog {
  api: 'openai' | 'azure' | 'bedrock';
  deployment: string;
  operation: string;
  /** Status sent, or 'reset' / 'hang' / 'cut'. */
  result: number | 'reset' | 'hang' | 'cut';
}

export interface WireServer {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  /** The requests handled, in order (the last `logLimit`). */
  readonly log: WireRequestLog[];
  close(): Promise<void>;
}

const AZURE = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const OPENAI = /^(?:\/v1)?\/chat\/completions$/;
const BEDROCK = /^\/model\/([^/]+)\/([a-z-]+)$/;

export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const faults = new FaultController(options.seed === undefined ? Math.random : seededRandom(options.seed));
  const log = boundedLog(options.logLimit ?? 10_000);
  const sockets = new Set<Socket>();
  const reply = options.reply ?? `Hello from ${options.name ?? 'the wire server'}, all good.`;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, { faults, log, reply }).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `wire server bug: ${err.message}` } });
      else kill(res);
    });
  };
  const h1 = createServer(onRequest);
  // The compatibility API's request/response mirror node:http's; the handlers use only that common part.
  const h2 = createH2Server(onRequest as unknown as Parameters<typeof createH2Server>[0]);
  // One port for both: the AWS SDK's default handler speaks HTTP/2 with prior knowledge (h2c), openai HTTP/1.1.
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      if (first.subarray(0, 3).toString('latin1') === 'PRI') h2.emit('connection', replay(socket, first));
      else {
        socket.unshift(first);
        h1.emit('connection', socket);
        socket.resume();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// HTTP/2 sessions read the native handle directly, so bytes already read cannot be unshifted: hand them a
// JS duplex that replays the first chunk, then relays the socket (Node wraps it in a JSStreamSocket).
function replay(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => socket.resume(),
    write: (chunk, encoding, cb) => socket.write(chunk, encoding, cb),
    final: (cb) => socket.end(cb),
    destroy: (err, cb) => {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  duplex.push(first);
  socket.on('data', (d: Buffer) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (err) => duplex.destroy(err));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

function boundedLog(limit: number): WireRequestLog[] {
  const log: WireRequestLog[] = [];
  const push = log.push.bind(log);
  log.push = (...entries: WireRequestLog[]) => {
    const n = push(...entries);
    if (n > limit) log.splice(0, n - limit);
    return log.length;
  };
  return log;
}

interface Ctx {
  faults: FaultController;
  log: WireRequestLog[];
  reply: string;
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://wire');
  if (url.pathname === '/__faults') return controlFaults(req, res, ctx, url);
  const text = await readBody(req);
  const body = parseJson(text);
  let m: RegExpMatchArray | null;
  if (req.method === 'POST' && (m = url.pathname.match(AZURE))) {
    if (!url.searchParams.get('api-version'))
      return sendJson(res, 404, { error: { code: '404', message: 'Resource not found (api-version missing)' } });
    return openAi(res, ctx, 'azure', decodeURIComponent(m[1]), body);
  }
  if (req.method === 'POST' && OPENAI.test(url.pathname)) return openAi(res, ctx, 'openai', undefined, body);
  if (
    req.method === 'POST' &&
    (m = url.pathname.match(BEDROCK)) &&
    BEDROCK_OPERATIONS.includes(m[2] as BedrockOperation)
  ) {
    return bedrock(res, ctx, decodeURIComponent(m[1]), m[2] as BedrockOperation, body);
  }
  sendJson(res, 404, { error: { message: `no route for ${req.method} ${url.pathname}` } });
}

/** Applies the connection-level faults; returns true when the request was consumed by one. */
async function connectionFault(
  res: ServerResponse,
  spec: FaultSpec,
  delayMs: number,
  entry: Omit<WireRequestLog, 'result'>,
  ctx: Ctx,
): Promise<boolean> {
  if (spec.reset) {
    ctx.log.push({ ...entry, result: 'reset' });
    kill(res);
    return true;
  }
  if (spec.hang) {
    ctx.log.push({ ...entry, result: 'hang' });
    return true; // the socket stays open until the client gives up or the server closes
  }
  await sleep(delayMs);
  return false;
}

async function openAi(
  res: ServerResponse,
  ctx: Ctx,
  flavour: OpenAiFlavour,
  deployment: string | undefined,
  body: Record<string, unknown>,
) {
  const chat = chatRequestOf(body, deployment);
  const entry = { api: flavour, deployment: chat.model, operation: chat.stream ? 'chat-stream' : 'chat' } as const;
  const d = ctx.faults.decide(chat.model);
  if (await connectionFault(res, d.spec, d.delayMs, entry, ctx)) return;
  if (d.fail) {
    ctx.log.push({ ...entry, result: d.spec.status! });
    return openAiError(res, flavour, d.spec.status!, d.spec);
  }
  const cut = chat.stream && d.spec.cutStreamAfterChunks !== undefined;
  ctx.log.push({ ...entry, result: cut ? 'cut' : 200 });
  if (chat.stream) await chatCompletionStream(res, chat, ctx.reply, d.spec);
  else chatCompletion(res, chat, ctx.reply);
}

async function bedrock(
  res: ServerResponse,
  ctx: Ctx,
  modelId: string,
  op: BedrockOperation,
  body: Record<string, unknown>,
) {
  const entry = { api: 'bedrock', deployment: modelId, operation: op } as const;
  const d = ctx.faults.decide(modelId);
  if (await connectionFault(res, d.spec, d.delayMs, entry, ctx)) return;
  if (d.fail) {
    ctx.log.push({ ...entry, result: d.spec.status! });
    return bedrockError(res, d.spec.status!, d.spec);
  }
  const streaming = op === 'converse-stream' || op === 'invoke-with-response-stream';
  ctx.log.push({ ...entry, result: streaming && d.spec.cutStreamAfterChunks !== undefined ? 'cut' : 200 });
  const prompt = promptOf(body);
  if (op === 'converse') converse(res, prompt, ctx.reply);
  else if (op === 'invoke') invokeModel(res, modelId, prompt, ctx.reply);
  else await eventStream(res, op, prompt, ctx.reply, d.spec);
}

async function controlFaults(req: IncomingMessage, res: ServerResponse, ctx: Ctx, url: URL): Promise<void> {
  const deployment = url.searchParams.get('deployment') ?? undefined;
  try {
    if (req.method === 'DELETE') ctx.faults.clear(deployment);
    else if (req.method === 'PUT') ctx.faults.set(parseJson(await readBody(req)) as FaultSpec, deployment);
    else return sendJson(res, 405, { error: { message: 'use PUT (JSON fault spec) or DELETE' } });
    sendJson(res, 200, { ok: true });
  } catch (err) {
    sendJson(res, 400, { error: { message: (err as Error).message } });
  }
}
