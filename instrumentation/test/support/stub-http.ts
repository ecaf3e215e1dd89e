// A loopback HTTP server whose answer the test sets per request, recording what it received.
import { createServer, type IncomingMessage } from 'node:http';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export interface StubServer {
  url: string;
  received: Received[];
  answer: (r: Received) => Answer;
  close(): Promise<void>;
}

export async function startStub(
  answer: (r: Received) => Answer = () => ({ status: 200, body: {} }),
): Promise<StubServer> {
  const stub: StubServer = { url: '', received: [], answer, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      stub.received.push(r);
      const a = stub.answer(r);
      const text = a.body === undefined ? '' : JSON.stringify(a.body);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
