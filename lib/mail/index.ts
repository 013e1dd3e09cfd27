// E-mail: the transport (SMTP, or files under DATA_DIR in development) and the outbox
// consumers that write to buyers (their keys) and merchants (alerts).
export { sendMail, escapeHtml, resetMailTransport, type Mail } from './transport';
export { mailConsumers } from './consumers';
