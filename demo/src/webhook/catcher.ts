// Stands in for the operator's existing webhook receiver (and the watchdog's): stores every
// Alertmanager webhook payload it gets, queryable by the demo and the tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of Alertmanager's webhook payload (version 4) the demo reads. */
export interface WebhookPayload {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    fingerprint: string;
  }>;
}

export interface CaughtWebhook {
  /** Request path: one catcher serves several receivers (/budget, /watchdog). */
  path: string;
  payload: WebhookPayload;
  receivedAt: Date;
}

export interface WebhookCatcher {
  url: string;
  received(): readonly CaughtWebhook[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startWebhookCatcher(host = '127.0.0.1'): Promise<WebhookCatcher> {
  const received: CaughtWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (req.method !== 'POST' || size > MAX_BODY_BYTES) {
        res.writeHead(req.method !== 'POST' ? 405 : 413).end();
        return;
      }
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload;
        received.push({ path: (req.url ?? '/').split('?')[0], payload, receivedAt: new Date() });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end('body is not JSON');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    received: () => received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Alerts in the caught payloads of one path, flattened, with the time each payload arrived. */
export function caughtAlerts(hooks: readonly CaughtWebhook[], path: string) {
  return hooks
    .filter((h) => h.path === path)
    .flatMap((h) => h.payload.alerts.map((a) => ({ ...a, receivedAt: h.receivedAt })));
}
