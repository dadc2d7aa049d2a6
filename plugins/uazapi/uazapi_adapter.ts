import { Readable } from 'node:stream'
import { timingSafeEqual } from 'node:crypto'
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
import { UazapiClient, type UazapiConfig } from './uazapi_client.js'
import { parseUazapiWebhook, TRACK_SOURCE } from './uazapi_parser.js'

function destinationOf(to: ContactAddress, chatId?: string): string {
  if (chatId) return chatId
  if (to.kind !== 'whatsapp') throw new PluginError('bad_request', 'Uazapi only sends to WhatsApp addresses')
  const number = to.phone ?? to.lid
  if (!number) throw new PluginError('bad_request', 'the contact has neither a phone number nor a LID')
  return number
}

/** Uazapi expands `{{name}}`-style placeholders in every text it sends; ours must arrive verbatim. */
export function escapePlaceholders(text: string) {
  return text.replace(/\{\{/g, '{\u200B{').replace(/\}\}/g, '}\u200B}')
}

const SEND_TYPES: Record<OutboundMessage['kind'], string> = {
  text: 'text',
  image: 'image',
  video: 'video',
  document: 'document',
  audio: 'audio',
  voice: 'ptt',
}

/** WhatsApp through uazapiGO v2 (protocol in protocols.md §2). */
export class UazapiAdapter implements ChannelAdapter<UazapiConfig> {
  readonly capabilities: ChannelCapabilities = {
    media: true,
    voice: true,
    reactions: true,
    deleteForEveryone: true,
    markRead: true,
    typing: true,
    csat: true,
    startsByPhone: true,
    maxTextLength: 4096,
    groups: true,
    qr: true,
  }

  readonly malformedStatus = 400

  #client(inbox: InboxContext<UazapiConfig>) {
    return new UazapiClient(inbox.config, inbox.logger)
  }

  /** The envelope carries the instance token: compared when present. */
  verifyWebhook(req: WebhookRequest, inbox: InboxContext<UazapiConfig>): boolean {
    const body = req.body as Record<string, unknown> | null
    const token = body && typeof body === 'object' ? body.token : undefined
    if (typeof token !== 'string' || !token) return true
    const a = Buffer.from(token)
    const b = Buffer.from(inbox.config.token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  parseWebhook(req: WebhookRequest, inbox: InboxContext<UazapiConfig>) {
    return parseUazapiWebhook(req.body, req.suffix, inbox.logger)
  }

  async send(msg: OutboundMessage, inbox: InboxContext<UazapiConfig>): Promise<{ externalId: string }> {
    const client = this.#client(inbox)
    const common = {
      number: destinationOf(msg.to, msg.chatId),
      track_source: TRACK_SOURCE,
      track_id: String(msg.id),
      ...(msg.quoted ? { replyid: msg.quoted.externalId } : {}),
    }
    let answer: any
    if (msg.kind === 'text') {
      if (!msg.text) throw new PluginError('bad_request', 'an empty text cannot be sent')
      answer = await client.call('POST', '/send/text', { ...common, text: escapePlaceholders(msg.text) })
    } else {
      if (!msg.media) throw new PluginError('bad_request', `a ${msg.kind} message needs its media`)
      const chunks: Buffer[] = []
      for await (const chunk of await msg.media.stream()) chunks.push(Buffer.from(chunk))
      answer = await client.call('POST', '/send/media', {
        ...common,
        type: SEND_TYPES[msg.kind],
        file: Buffer.concat(chunks).toString('base64'),
        mimetype: msg.media.mime,
        ...(msg.text ? { text: escapePlaceholders(msg.text) } : {}),
        ...(msg.kind === 'document' && msg.media.fileName ? { docName: msg.media.fileName } : {}),
      })
    }
    const externalId = answer?.messageid ?? (typeof answer?.id === 'string' ? answer.id.split(':').pop() : undefined)
    if (typeof externalId !== 'string' || !externalId) {
      throw new PluginError('bad_request', 'Uazapi accepted the message but returned no message id')
    }
    return { externalId }
  }

  async react(target: string, emoji: string, to: ContactAddress, inbox: InboxContext<UazapiConfig>) {
    await this.#client(inbox).call('POST', '/message/react', { number: destinationOf(to), text: emoji, id: target })
  }

  async deleteForEveryone(target: string, _to: ContactAddress, inbox: InboxContext<UazapiConfig>) {
    await this.#client(inbox).call('POST', '/message/delete', { id: target })
  }

  async markRead(target: string, _to: ContactAddress, inbox: InboxContext<UazapiConfig>) {
    await this.#client(inbox).call('POST', '/message/markread', { id: [target] })
  }

  async typing(to: ContactAddress, on: boolean, inbox: InboxContext<UazapiConfig>) {
    await this.#client(inbox).call('POST', '/message/presence', {
      number: destinationOf(to),
      presence: on ? 'composing' : 'paused',
    })
  }

  async connect(inbox: InboxContext<UazapiConfig>) {
    const client = this.#client(inbox)
    const state = await client.call('GET', '/instance/status')
    if (state?.status?.connected === true || state?.instance?.status === 'connected') return { status: 'connected' }
    const answer = await client.call('POST', '/instance/connect', {})
    const qr = answer?.qrcode ?? answer?.instance?.qrcode
    const pairingCode = answer?.paircode ?? answer?.instance?.paircode
    return {
      status: 'qr',
      ...(typeof qr === 'string' && qr ? { qr } : {}),
      ...(typeof pairingCode === 'string' && pairingCode ? { pairingCode } : {}),
    }
  }

  async registerWebhook(inbox: InboxContext<UazapiConfig>, url: string) {
    await this.#client(inbox).call('POST', '/webhook', {
      enabled: true,
      url,
      events: ['messages', 'messages_update', 'connection'],
      // Our own sends must come back: the echo confirms their ids (matched by track_id).
      excludeMessages: [],
      addUrlEvents: false,
      addUrlTypesMessages: false,
    })
  }

  async fetchMedia(ref: MediaRef, inbox: InboxContext<UazapiConfig>) {
    const id = ref.messageId
    if (typeof id !== 'string' || !id) throw new PluginError('bad_request', 'the media reference has no message id')
    const answer = await this.#client(inbox).call('POST', '/message/download', {
      id,
      return_base64: true,
      return_link: false,
      generate_mp3: false,
    })
    const mime = String(answer?.mimetype ?? ref.mime ?? 'application/octet-stream')
    if (typeof answer?.base64Data === 'string' && answer.base64Data) {
      const data = answer.base64Data.replace(/^data:[^,]*,/, '')
      return { stream: Readable.from(Buffer.from(data, 'base64')), mime, fileName: ref.fileName }
    }
    if (typeof answer?.fileURL === 'string' && answer.fileURL) {
      const response = await fetch(answer.fileURL, { signal: AbortSignal.timeout(60_000) })
      if (!response.ok || !response.body) throw new PluginError('unavailable', 'the Uazapi media link did not answer')
      return { stream: Readable.fromWeb(response.body as any), mime, fileName: ref.fileName }
    }
    throw new PluginError('not_found', 'Uazapi returned no media for this message')
  }

  async testConnection(inbox: InboxContext<UazapiConfig>) {
    try {
      const answer = await this.#client(inbox).call('GET', '/instance/status')
      const status = answer?.instance?.status ?? (answer?.status?.connected ? 'connected' : 'unknown')
      return { ok: true, detail: `instance ${answer?.instance?.name ?? ''} is ${status}`.replace('  ', ' ') }
    } catch (error) {
      if (error instanceof PluginError) return { ok: false, detail: error.message }
      throw error
    }
  }
}
