import { randomBytes, timingSafeEqual } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  PluginError,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ContactAddress,
  type InboxContext,
  type MediaRef,
  type OutboundMessage,
  type WebhookRequest,
} from '#plugins/sdk'
import { TelegramClient, type TelegramConfig } from './telegram_client.js'
import { externalIdOf, parseTelegramUpdate } from './telegram_parser.js'

const SECRET_HEADER = 'x-telegram-bot-api-secret-token'
const CAPTION_LIMIT = 1024

/** Where a message goes: the group's chat, else the user's private chat (same id as the user). */
function chatIdOf(to: ContactAddress, chatId?: string): string {
  if (chatId) return chatId
  if (to.kind !== 'telegram') throw new PluginError('bad_request', 'Telegram only sends to Telegram users')
  return to.userId
}

/** Our id `<chat>:<message>` back to Telegram's message_id. */
function messageIdOf(externalId: string): number {
  const id = Number(externalId.split(':').pop())
  if (!Number.isSafeInteger(id)) throw new PluginError('bad_request', `"${externalId}" is not a Telegram message id`)
  return id
}

const SEND_METHODS: Record<Exclude<OutboundMessage['kind'], 'text'>, { method: string; field: string }> = {
  image: { method: 'sendPhoto', field: 'photo' },
  voice: { method: 'sendVoice', field: 'voice' },
  audio: { method: 'sendAudio', field: 'audio' },
  video: { method: 'sendVideo', field: 'video' },
  document: { method: 'sendDocument', field: 'document' },
}

/** Telegram Bot API (protocols.md §3). */
export class TelegramAdapter implements ChannelAdapter<TelegramConfig> {
  readonly capabilities: ChannelCapabilities = {
    media: true,
    voice: true,
    reactions: true,
    deleteForEveryone: true,
    markRead: false,
    typing: true,
    csat: true,
    maxTextLength: 4096,
    maxCaptionLength: CAPTION_LIMIT,
    groups: true,
  }

  /** Telegram re-sends every update answered with a non-2xx: a body we cannot read is acknowledged and logged. */
  readonly malformedStatus = 200

  #client(inbox: InboxContext<TelegramConfig>) {
    return new TelegramClient(inbox.config, inbox.logger)
  }

  /** Every call must carry the secret we gave `setWebhook` for this inbox. */
  verifyWebhook(req: WebhookRequest, inbox: InboxContext<TelegramConfig>): boolean {
    const expected = typeof inbox.state.secretToken === 'string' ? inbox.state.secretToken : ''
    const header = req.headers[SECRET_HEADER]
    const given = Array.isArray(header) ? header[0] : header
    if (!expected || !given) return false
    const a = Buffer.from(given)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  parseWebhook(req: WebhookRequest) {
    return parseTelegramUpdate(req.body)
  }

  /** A new random secret each time the webhook is (re)registered, so an old URL+secret stops working. */
  async registerWebhook(inbox: InboxContext<TelegramConfig>, url: string) {
    const secretToken = randomBytes(32).toString('base64url')
    await this.#client(inbox).call('setWebhook', {
      url,
      secret_token: secretToken,
      allowed_updates: ['message', 'edited_message'],
      max_connections: 40,
    })
    await inbox.saveState({ secretToken })
  }

  /** Only our own URL: the bot may already serve a newer inbox, whose webhook must stay. */
  async unregisterWebhook(inbox: InboxContext<TelegramConfig>, url: string) {
    const client = this.#client(inbox)
    const info = await client.call<{ url?: string }>('getWebhookInfo')
    if (info?.url === url) await client.call('deleteWebhook', { drop_pending_updates: false })
  }

  async send(msg: OutboundMessage, inbox: InboxContext<TelegramConfig>): Promise<{ externalId: string }> {
    const client = this.#client(inbox)
    const chatId = chatIdOf(msg.to, msg.chatId)
    const reply = msg.quoted ? { reply_parameters: { message_id: messageIdOf(msg.quoted.externalId), allow_sending_without_reply: true } } : {}
    let sent: { message_id: number; chat: { id: number } }
    if (msg.kind === 'text') {
      if (!msg.text) throw new PluginError('bad_request', 'an empty text cannot be sent')
      sent = await client.call('sendMessage', { chat_id: chatId, text: msg.text, ...reply })
    } else {
      if (!msg.media) throw new PluginError('bad_request', `a ${msg.kind} message needs its media`)
      const { method, field } = SEND_METHODS[msg.kind]
      const chunks: Buffer[] = []
      for await (const chunk of await msg.media.stream()) chunks.push(Buffer.from(chunk))
      const form = new FormData()
      form.set('chat_id', chatId)
      form.set(field, new Blob([Buffer.concat(chunks)], { type: msg.media.mime }), msg.media.fileName ?? `${field}.${msg.media.mime.split('/')[1] ?? 'bin'}`)
      // The core sends agents' longer captions as texts after the media; this only guards other callers.
      if (msg.text) form.set('caption', msg.text.slice(0, CAPTION_LIMIT))
      if (msg.quoted) form.set('reply_parameters', JSON.stringify(reply.reply_parameters))
      sent = await client.call(method, form)
    }
    if (!sent?.message_id) throw new PluginError('bad_request', 'Telegram accepted the message but returned no message_id')
    return { externalId: externalIdOf(sent.chat?.id ?? chatId, sent.message_id) }
  }

  async react(target: string, emoji: string, to: ContactAddress, inbox: InboxContext<TelegramConfig>) {
    await this.#client(inbox).call('setMessageReaction', {
      chat_id: target.split(':')[0] || chatIdOf(to),
      message_id: messageIdOf(target),
      reaction: emoji ? [{ type: 'emoji', emoji }] : [],
    })
  }

  async deleteForEveryone(target: string, to: ContactAddress, inbox: InboxContext<TelegramConfig>) {
    await this.#client(inbox).call('deleteMessage', { chat_id: target.split(':')[0] || chatIdOf(to), message_id: messageIdOf(target) })
  }

  async typing(to: ContactAddress, on: boolean, inbox: InboxContext<TelegramConfig>) {
    // A chat action lasts about 5 s and cannot be cancelled: "off" simply lets it lapse.
    if (on) await this.#client(inbox).call('sendChatAction', { chat_id: chatIdOf(to), action: 'typing' })
  }

  async fetchMedia(ref: MediaRef, inbox: InboxContext<TelegramConfig>) {
    const fileId = typeof ref.fileId === 'string' ? ref.fileId : ''
    if (!fileId) throw new PluginError('bad_request', 'the media reference has no file_id')
    const { response, path } = await this.#client(inbox).download(fileId)
    // Voice notes are OGG/Opus stored as .oga: named .ogg so transcription services accept them.
    const fileName = ref.fileName ?? path.split('/').pop()?.replace(/\.oga$/, '.ogg')
    const mime = String(ref.mime ?? response.headers.get('content-type') ?? 'application/octet-stream')
    return { stream: Readable.fromWeb(response.body as any), mime, fileName }
  }

  async testConnection(inbox: InboxContext<TelegramConfig>) {
    try {
      const me = await this.#client(inbox).call<{ username?: string; first_name?: string }>('getMe')
      return { ok: true, detail: `bot @${me?.username ?? me?.first_name ?? '?'}` }
    } catch (error) {
      if (error instanceof PluginError) return { ok: false, detail: error.message }
      throw error
    }
  }
}
