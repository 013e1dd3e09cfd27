// A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it
// accepts: what nodemailer sends is what arrives here. Used by the tests, the crash test and
// the HTTP bench.
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string;
  to: string[];
  raw: string;
  messageId: string;
  /** The order number of the order link in a delivery e-mail, if any. */
  orderNo: string | null;
  /** performance.now() when the message was accepted. */
  at: number;
};

/** The message with quoted-printable soft line breaks joined (keys and links are ASCII). */
export const unfolded = (raw: string) => raw.replace(/=\r?\n/g, '');

export async function startSmtpSink(options: { delayMs?: () => number } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        const accept = () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '',
            orderNo: /\/order\/(\d{24})\?/.exec(unfolded(raw))?.[1] ?? null,
            at: performance.now(),
          });
          callback();
        };
        const delay = options.delayMs?.() ?? 0;
        if (delay > 0) setTimeout(accept, delay);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
