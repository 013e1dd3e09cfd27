// Sending one e-mail: SMTP (SMTP_URL) in production, a .eml file under DATA_DIR/mail otherwise.
import 'server-only';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { getConfig } from '@/lib/config';

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId?: string;
  /** The merchant's sender name (settings.mailFromName), shown with MAIL_FROM's address. */
  fromName?: string;
};

/** MAIL_FROM's address: `Name <addr>` → addr. */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

let transport: Transporter | undefined;

function getTransport(): Transporter {
  if (transport) return transport;
  const config = getConfig();
  transport = config.smtpUrl
    ? nodemailer.createTransport({
        url: config.smtpUrl,
        // A long-running server or worker keeps up to 5 connections to the relay open between
        // messages: a new connection costs its greeting (often 100 ms or more) and a TLS
        // handshake per e-mail. Not on Vercel, where a function is frozen between requests and
        // an idle connection would be found dead. SMTP_URL's own `?pool=` wins.
        pool: !config.onVercel,
        maxConnections: 5,
        // Timeouts well inside the outbox lease (120 s): a send that hangs fails and is retried,
        // instead of running on while another drainer, seeing the lease end, sends it again.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      })
    : // No SMTP configured (development): build the message and keep it under DATA_DIR/mail.
      nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return transport;
}

export function resetMailTransport(): void {
  transport?.close();
  transport = undefined;
}

export async function sendMail(mail: Mail): Promise<void> {
  const config = getConfig();
  const { fromName, ...message } = mail;
  const from = fromName ? { name: fromName, address: addressOf(config.mailFrom) } : config.mailFrom;
  const info = await getTransport().sendMail({ ...message, from, headers: mail.messageId ? { 'Message-ID': mail.messageId } : undefined });
  if (!config.smtpUrl) {
    const dir = path.join(config.dataDir, 'mail');
    await mkdir(dir, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`;
    await writeFile(path.join(dir, name), (info as unknown as { message: Buffer }).message, { mode: 0o600 });
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
