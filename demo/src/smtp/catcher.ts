// A local SMTP server standing in for the operator's mail relay: Alertmanager's e-mail receiver
// delivers here, and the demo and tests read what arrived.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export interface SmtpCatcher {
  host: string;
  port: number;
  /** host:port, as Alertmanager's smtp_smarthost wants it. */
  smarthost: string;
  messages(): readonly CaughtMessage[];
  /** Resolves with the first message (already received or arriving later) that matches. */
  waitFor(match: (m: CaughtMessage) => boolean, timeoutMs: number): Promise<CaughtMessage>;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export async function startSmtpCatcher(options: { host?: string; port?: number } = {}): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const messages: CaughtMessage[] = [];
  const waiters = new Set<(m: CaughtMessage) => void>();

  const server = new SMTPServer({
    // Alertmanager only upgrades to TLS when offered; a catcher on loopback does not offer it.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const message: CaughtMessage = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date(),
          };
          messages.push(message);
          for (const w of [...waiters]) w(message);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  // Later errors (a client dropping mid-session) must not crash the demo.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    smarthost: `${host}:${port}`,
    messages: () => messages,
    waitFor(match, timeoutMs) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onMessage = (m: CaughtMessage) => {
          if (!match(m)) return;
          cleanup();
          resolve(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching e-mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(onMessage);
        };
        waiters.add(onMessage);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
