// Small helpers shared by the wire formats.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, type Http2Stream } from 'node:http2';

export const sleep = (ms: number) => new Promise<void>((r) => (ms > 0 ? setTimeout(r, ms) : r()));

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Rough token count of a prompt: one token per four characters, at least one. */
export const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));

type MaybeH2 = ServerResponse & { stream?: Http2Stream };

/** True while the response can still be written (the client has not gone away). */
export const open = (res: ServerResponse) =>
  !res.destroyed && !res.writableEnded && !(res as MaybeH2).stream?.destroyed;

/** Drops the exchange: an HTTP/2 stream is reset, an HTTP/1 connection is reset. */
export function kill(res: ServerResponse): void {
  const stream = (res as MaybeH2).stream;
  if (stream) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  else {
    res.socket?.resetAndDestroy?.();
    res.destroy();
  }
}
