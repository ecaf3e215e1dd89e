import nodemailer from 'nodemailer';
import { startSmtpCatcher, type SmtpCatcher } from './catcher';

describe('SMTP catcher', () => {
  let catcher: SmtpCatcher;
  beforeEach(async () => {
    catcher = await startSmtpCatcher();
  });
  afterEach(() => catcher.stop());

  const send = (subject: string, to = 'oncall@example.org') =>
    nodemailer
      .createTransport({ host: catcher.host, port: catcher.port, secure: false, ignoreTLS: true })
      .sendMail({ from: 'alertmanager@example.org', to, subject, text: `body of ${subject}` });

  it('listens on loopback and stores each message with envelope, subject and body', async () => {
    expect(catcher.smarthost).toMatch(/^127\.0\.0\.1:\d+$/);
    await send('[FIRING:1] ProviderErrorRatioHigh azure', 'OnCall@Example.org');
    await send('second');
    const [first, second] = catcher.messages();
    expect(first.to).toEqual(['oncall@example.org']);
    expect(first.from).toBe('alertmanager@example.org');
    expect(first.subject).toBe('[FIRING:1] ProviderErrorRatioHigh azure');
    expect(first.text.trim()).toBe('body of [FIRING:1] ProviderErrorRatioHigh azure');
    expect(second.subject).toBe('second');
  });

  it('waits for a message that arrives later and times out naming what it saw', async () => {
    const waiting = catcher.waitFor((m) => m.subject.includes('RESOLVED'), 5_000);
    await send('[FIRING:1] x');
    await send('[RESOLVED] x');
    await expect(waiting).resolves.toMatchObject({ subject: '[RESOLVED] x' });
    await expect(catcher.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(
      /no matching e-mail within 50 ms \(2 received\)/,
    );
  });
});
