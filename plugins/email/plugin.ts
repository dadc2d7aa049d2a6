import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { EmailAdapter } from './email_adapter.js'

const tls = (label: string, fallback: string) =>
  fields.select({
    label,
    options: [
      { value: 'tls', label: 'TLS (implicit, like 993/465)' },
      { value: 'starttls', label: 'STARTTLS (like 143/587)' },
      { value: 'none', label: 'None (local servers only)' },
    ],
    default: fallback,
  })

export default definePlugin({
  id: 'email',
  kind: 'channel',
  name: 'E-mail (IMAP + SMTP)',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'A mailbox: new mail arrives by IMAP IDLE, answers leave by SMTP in the same thread.',
  config: {
    imapHost: fields.string({ label: 'IMAP server', required: true, placeholder: 'imap.provedor.com.br' }),
    imapPort: fields.number({ label: 'IMAP port', default: 993, min: 1, max: 65535 }),
    imapTls: tls('IMAP security', 'tls'),
    smtpHost: fields.string({ label: 'SMTP server', required: true, placeholder: 'smtp.provedor.com.br' }),
    smtpPort: fields.number({ label: 'SMTP port', default: 587, min: 1, max: 65535 }),
    smtpTls: tls('SMTP security', 'starttls'),
    user: fields.string({ label: 'User', help: 'Usually the full e-mail address', required: true }),
    password: fields.secret({ label: 'Password', required: true }),
    fromAddress: fields.string({ label: 'From address', help: 'Defaults to the user', placeholder: 'atendimento@provedor.com.br' }),
    fromName: fields.string({ label: 'From name', help: 'Shown with the agent\'s name: "Ana · Provedor Fibra"' }),
    mailbox: fields.string({ label: 'Folder', default: 'INBOX' }),
  },
  register(container) {
    container.register(TOKENS.channel, { useClass: EmailAdapter })
  },
})
