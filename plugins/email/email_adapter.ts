import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { ImapFlow } from 'imapflow'
import { simpleParser } from 'mailparser'
import {
  PluginError,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelEvent,
  type InboxContext,
  type MediaRef,
  type OutboundMessage,
} from '#plugins/sdk'
import { fromAddressOf, imapOptions, mailboxOf, smtpTransport, type EmailConfig } from './email_config.js'
import { MailboxListener } from './email_listener.js'

/** SMTP answers 4xx for "try later" and 5xx for "never": the outbound job retries only the first. */
function smtpError(error: unknown): PluginError {
  const err = error as { responseCode?: number; code?: string; message?: string }
  const message = String(err.message ?? 'SMTP failed').slice(0, 300)
  if (err.code === 'EAUTH') return new PluginError('auth', 'the SMTP server refused the user or password')
  if (err.responseCode && err.responseCode >= 500) return new PluginError('refused', `the SMTP server refused the message: ${message}`)
  if (err.code === 'ETIMEDOUT') return new PluginError('timeout', 'the SMTP server did not answer in time')
  return new PluginError('unavailable', `the SMTP server is unavailable: ${message}`)
}

function replySubject(subject: string | undefined, fallback: string) {
  if (!subject) return fallback
  return /^(re|res)\s*:/i.test(subject) ? subject : `Re: ${subject}`
}

/** E-mail over IMAP (in, by a listener per inbox) and SMTP (out), protocols.md §4. */
export class EmailAdapter implements ChannelAdapter<EmailConfig> {
  readonly capabilities: ChannelCapabilities = {
    media: true,
    voice: false,
    reactions: false,
    deleteForEveryone: false,
    markRead: false,
    typing: false,
    csat: true,
  }

  async start(inbox: InboxContext<EmailConfig>, sink: (event: ChannelEvent) => Promise<void>) {
    return new MailboxListener(inbox, sink).begin()
  }

  async send(msg: OutboundMessage, inbox: InboxContext<EmailConfig>): Promise<{ externalId: string }> {
    if (msg.to.kind !== 'email') throw new PluginError('bad_request', 'e-mail only goes to e-mail addresses')
    const config = inbox.config
    const fromAddress = fromAddressOf(config)
    const company = config.fromName?.trim()
    const name = [msg.agentName, company].filter(Boolean).join(' · ') || undefined
    // Our own Message-ID, so the customer's reply (In-Reply-To) points back at this message.
    const messageId = `<niochat.${msg.id}.${randomBytes(6).toString('hex')}@${fromAddress.split('@')[1] ?? 'niochat.local'}>`
    const attachments = msg.media
      ? [{ filename: msg.media.fileName ?? 'anexo', contentType: msg.media.mime, content: await toBuffer(await msg.media.stream()) }]
      : []
    try {
      await smtpTransport(config).sendMail({
        from: name ? { name, address: fromAddress } : fromAddress,
        to: msg.to.name ? { name: msg.to.name, address: msg.to.address } : msg.to.address,
        subject: replySubject(msg.thread?.subject, company ? `Atendimento ${company}` : 'Atendimento'),
        text: msg.text ?? '',
        messageId,
        ...(msg.thread?.inReplyTo ? { inReplyTo: msg.thread.inReplyTo } : {}),
        ...(msg.thread?.references?.length ? { references: msg.thread.references } : {}),
        attachments,
      })
    } catch (error) {
      throw smtpError(error)
    }
    return { externalId: messageId }
  }

  /** An attachment is read again from the mailbox: nothing is kept outside it until the core stores it. */
  async fetchMedia(ref: MediaRef, inbox: InboxContext<EmailConfig>) {
    const uid = Number(ref.uid)
    const index = Number(ref.index ?? 0)
    if (!Number.isSafeInteger(uid)) throw new PluginError('bad_request', 'the media reference has no IMAP uid')
    const client = new ImapFlow(imapOptions(inbox.config))
    client.on('error', () => {})
    try {
      await client.connect()
    } catch {
      throw new PluginError('unavailable', 'the IMAP server cannot be reached')
    }
    try {
      const mailbox = await client.mailboxOpen(String(ref.mailbox ?? mailboxOf(inbox.config)), { readOnly: true })
      if (ref.uidValidity && String(mailbox.uidValidity) !== String(ref.uidValidity)) {
        throw new PluginError('not_found', 'the mailbox was rebuilt since this mail arrived')
      }
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
      if (!message || !message.source) throw new PluginError('not_found', 'the mail is no longer in the mailbox')
      const attachment = (await simpleParser(message.source)).attachments[index]
      if (!attachment) throw new PluginError('not_found', 'the mail has no such attachment')
      return { stream: Readable.from(attachment.content), mime: attachment.contentType || String(ref.mime ?? 'application/octet-stream'), fileName: attachment.filename ?? (ref.fileName as string | undefined) }
    } finally {
      await client.logout().catch(() => client.close())
    }
  }

  async testConnection(inbox: InboxContext<EmailConfig>) {
    const client = new ImapFlow(imapOptions(inbox.config))
    client.on('error', () => {})
    try {
      await client.connect()
      const status = await client.status(mailboxOf(inbox.config), { messages: true, unseen: true })
      await client.logout()
      await smtpTransport(inbox.config).verify()
      const counts = status || { messages: 0, unseen: 0 }
      return { ok: true, detail: `IMAP ${mailboxOf(inbox.config)}: ${counts.messages ?? 0} messages (${counts.unseen ?? 0} unread); SMTP accepted the login` }
    } catch (error) {
      client.close()
      const err = error as { authenticationFailed?: boolean; code?: string; message?: string }
      const detail = err.authenticationFailed || err.code === 'EAUTH' ? 'the server refused the user or password' : String(err.message ?? error)
      return { ok: false, detail }
    }
  }
}

async function toBuffer(stream: Readable) {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}
