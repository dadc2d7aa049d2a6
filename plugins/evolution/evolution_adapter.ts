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
import { EvolutionClient, type EvolutionConfig } from './evolution_client.js'
import { parseEvolutionWebhook, type EvolutionMediaRef } from './evolution_parser.js'

/** The events NioChat subscribes to when it registers its webhook on the instance. */
export const WEBHOOK_EVENTS = [
  'MESSAGES_UPSERT',
  'MESSAGES_UPDATE',
  'MESSAGES_DELETE',
  'MESSAGES_EDITED',
  'SEND_MESSAGE',
  'CONNECTION_UPDATE',
  'QRCODE_UPDATED',
  'CALL',
]

function sameSecret(a: string, b: string) {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Where Evolution delivers to: a group JID, else the phone digits, else the LID. */
export function destinationOf(to: ContactAddress, chatId?: string): string {
  if (chatId) return chatId
  if (to.kind !== 'whatsapp') throw new PluginError('bad_request', 'Evolution only sends to WhatsApp addresses')
  const number = to.phone ?? to.lid
  if (!number) throw new PluginError('bad_request', 'the contact has neither a phone number nor a LID')
  return number
}

const jidOf = (number: string) => (number.includes('@') ? number : `${number}@s.whatsapp.net`)

async function base64Of(media: NonNullable<OutboundMessage['media']>) {
  const chunks: Buffer[] = []
  for await (const chunk of await media.stream()) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('base64')
}

/** WhatsApp through Evolution API v2 (DESIGN "Channel plugins"; protocol in protocols.md §1). */
export class EvolutionAdapter implements ChannelAdapter<EvolutionConfig> {
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

  /** Evolution stops retrying on 400/401/403/404/422. */
  readonly malformedStatus = 400

  #client(inbox: InboxContext<EvolutionConfig>) {
    return new EvolutionClient(inbox.config, inbox.logger)
  }

  /**
   * The URL key already proved who is calling; Evolution's `apikey` body field (the instance token,
   * null on default installs) is compared when present, and a body naming another instance is refused.
   */
  verifyWebhook(req: WebhookRequest, inbox: InboxContext<EvolutionConfig>): boolean {
    const body = req.body as Record<string, unknown> | null
    if (!body || typeof body !== 'object') return true // malformed: parseWebhook answers it
    const apikey = body.apikey
    if (typeof apikey === 'string' && apikey) {
      const known = [inbox.config.apiKey, inbox.config.instanceToken].filter((k): k is string => Boolean(k))
      if (!known.some((key) => sameSecret(key, apikey))) return false
    }
    const instance = body.instance
    if (typeof instance === 'string' && instance && instance !== inbox.config.instance) return false
    return true
  }

  parseWebhook(req: WebhookRequest, inbox: InboxContext<EvolutionConfig>) {
    return parseEvolutionWebhook(req.body, req.suffix, inbox.logger)
  }

  async send(msg: OutboundMessage, inbox: InboxContext<EvolutionConfig>): Promise<{ externalId: string }> {
    const client = this.#client(inbox)
    const number = destinationOf(msg.to, msg.chatId)
    const quoted = msg.quoted
      ? { quoted: { key: { id: msg.quoted.externalId }, message: { conversation: msg.quoted.text ?? '' } } }
      : {}
    let answer: any
    if (msg.kind === 'text') {
      if (!msg.text) throw new PluginError('bad_request', 'an empty text cannot be sent')
      answer = await client.call('POST', `/message/sendText/${client.instance}`, { number, text: msg.text, ...quoted })
    } else {
      if (!msg.media) throw new PluginError('bad_request', `a ${msg.kind} message needs its media`)
      const data = await base64Of(msg.media)
      if (msg.kind === 'voice') {
        answer = await client.call('POST', `/message/sendWhatsAppAudio/${client.instance}`, {
          number,
          audio: data,
          encoding: !/ogg|opus/.test(msg.media.mime),
          ...quoted,
        })
      } else {
        answer = await client.call('POST', `/message/sendMedia/${client.instance}`, {
          number,
          mediatype: msg.kind,
          media: data,
          mimetype: msg.media.mime,
          ...(msg.text ? { caption: msg.text } : {}),
          ...(msg.media.fileName ? { fileName: msg.media.fileName } : {}),
          ...quoted,
        })
      }
    }
    const externalId = answer?.key?.id
    if (typeof externalId !== 'string' || !externalId) {
      throw new PluginError('bad_request', 'Evolution accepted the message but returned no message id')
    }
    return { externalId }
  }

  async react(target: string, emoji: string, to: ContactAddress, inbox: InboxContext<EvolutionConfig>) {
    const client = this.#client(inbox)
    await client.call('POST', `/message/sendReaction/${client.instance}`, {
      key: { remoteJid: jidOf(destinationOf(to)), fromMe: false, id: target },
      reaction: emoji,
    })
  }

  async deleteForEveryone(target: string, to: ContactAddress, inbox: InboxContext<EvolutionConfig>) {
    const client = this.#client(inbox)
    await client.call('DELETE', `/chat/deleteMessageForEveryone/${client.instance}`, {
      id: target,
      remoteJid: jidOf(destinationOf(to)),
      fromMe: true,
    })
  }

  async markRead(target: string, to: ContactAddress, inbox: InboxContext<EvolutionConfig>) {
    const client = this.#client(inbox)
    await client.call('POST', `/chat/markMessageAsRead/${client.instance}`, {
      readMessages: [{ remoteJid: jidOf(destinationOf(to)), fromMe: false, id: target }],
    })
  }

  async typing(to: ContactAddress, on: boolean, inbox: InboxContext<EvolutionConfig>) {
    const client = this.#client(inbox)
    await client.call('POST', `/chat/sendPresence/${client.instance}`, {
      number: destinationOf(to),
      presence: on ? 'composing' : 'paused',
      delay: 3000,
    })
  }

  async connect(inbox: InboxContext<EvolutionConfig>) {
    const client = this.#client(inbox)
    const state = await client.call('GET', `/instance/connectionState/${client.instance}`)
    if (state?.instance?.state === 'open') return { status: 'connected' }
    const answer = await client.call('GET', `/instance/connect/${client.instance}`)
    return {
      status: 'qr',
      ...(typeof answer?.base64 === 'string' ? { qr: answer.base64 } : {}),
      ...(typeof answer?.pairingCode === 'string' && answer.pairingCode ? { pairingCode: answer.pairingCode } : {}),
    }
  }

  async registerWebhook(inbox: InboxContext<EvolutionConfig>, url: string) {
    const client = this.#client(inbox)
    await client.call('POST', `/webhook/set/${client.instance}`, {
      webhook: { enabled: true, url, byEvents: false, base64: false, events: WEBHOOK_EVENTS },
    })
  }

  async fetchMedia(ref: MediaRef, inbox: InboxContext<EvolutionConfig>) {
    const media = ref as EvolutionMediaRef
    if (typeof media.keyId !== 'string') throw new PluginError('bad_request', 'the media reference has no message id')
    const client = this.#client(inbox)
    const answer = await client.call('POST', `/chat/getBase64FromMediaMessage/${client.instance}`, {
      message: { key: { id: media.keyId, remoteJid: media.remoteJid, fromMe: media.fromMe } },
      convertToMp4: false,
    })
    if (typeof answer?.base64 !== 'string' || !answer.base64) {
      throw new PluginError('not_found', 'Evolution returned no media for this message')
    }
    const mime = String(answer.mimetype ?? media.mime ?? 'application/octet-stream')
    return {
      stream: Readable.from(Buffer.from(answer.base64, 'base64')),
      mime,
      fileName: typeof answer.fileName === 'string' ? answer.fileName : media.fileName,
    }
  }

  async testConnection(inbox: InboxContext<EvolutionConfig>) {
    try {
      const answer = await this.#client(inbox).call(
        'GET',
        `/instance/connectionState/${encodeURIComponent(inbox.config.instance)}`
      )
      const state = answer?.instance?.state ?? 'unknown'
      return { ok: true, detail: `instance ${inbox.config.instance} is ${state}` }
    } catch (error) {
      if (error instanceof PluginError) return { ok: false, detail: error.message }
      throw error
    }
  }
}
