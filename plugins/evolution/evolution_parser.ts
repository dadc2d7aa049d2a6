import {
  MalformedPayloadError,
  type ChannelEvent,
  type ContactAddress,
  type InboundMessage,
  type PluginLogger,
} from '#plugins/sdk'

/** What the adapter keeps in a media reference to download it later with getBase64FromMediaMessage. */
export interface EvolutionMediaRef {
  keyId: string
  remoteJid: string
  fromMe: boolean
  mime?: string
  fileName?: string
  size?: number
  durationSeconds?: number
  [key: string]: unknown
}

const isObject = (value: unknown): value is Record<string, any> =>
  !!value && typeof value === 'object' && !Array.isArray(value)

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined

/** Numbers arrive as numbers, decimal strings or protobuf longs `{low, high}` depending on the version. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value)
  if (isObject(value) && typeof value.low === 'number') return (value.low >>> 0) + (Number(value.high) || 0) * 2 ** 32
  return undefined
}

/** `MESSAGES_UPSERT`, `messages-upsert` (byEvents suffix) and `messages.upsert` are the same event. */
export function normalizeEventName(name: string) {
  return name.trim().toLowerCase().replace(/[-_]/g, '.')
}

const digitsOf = (jid: string) => jid.split('@')[0].split(':')[0].replace(/\D/g, '')

/** The customer behind a key: phone from whichever JID is a phone JID, LID from whichever is a LID. */
export function addressOf(jids: (string | undefined)[], name?: string): ContactAddress | undefined {
  let phone: string | undefined
  let lid: string | undefined
  for (const jid of jids) {
    if (!jid) continue
    if (jid.endsWith('@s.whatsapp.net') || jid.endsWith('@c.us')) phone ??= digitsOf(jid)
    else if (jid.endsWith('@lid')) lid ??= jid
  }
  if (!phone && !lid) return undefined
  return { kind: 'whatsapp', ...(phone ? { phone } : {}), ...(lid ? { lid } : {}), ...(name ? { name } : {}) }
}

const WRAPPERS = ['ephemeralMessage', 'documentWithCaptionMessage', 'deviceSentMessage', 'editedMessage']
const VIEW_ONCE = ['viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension']

/** Unwraps the containers Evolution leaves in place (ephemeral, document-with-caption...). */
function unwrap(message: Record<string, any>): Record<string, any> {
  let current = message
  for (let depth = 0; depth < 4; depth++) {
    const wrapper = WRAPPERS.find((key) => isObject(current[key]?.message))
    if (!wrapper) break
    current = current[wrapper].message
  }
  return current
}

const CONTENT_SKIP = new Set(['messageContextInfo', 'base64', 'mediaUrl', 'speechToText', 'contextInfo'])

function contentKey(message: Record<string, any>, hint?: string): string | undefined {
  if (hint && hint in message) return hint
  return Object.keys(message).find((key) => !CONTENT_SKIP.has(key))
}

function phonesFromVcard(vcard: unknown): string[] {
  if (typeof vcard !== 'string') return []
  const phones = new Set<string>()
  for (const match of vcard.matchAll(/waid=(\d+)/g)) phones.add(match[1])
  if (!phones.size) {
    for (const match of vcard.matchAll(/TEL[^:]*:([+\d\s()-]+)/g)) {
      const digits = match[1].replace(/\D/g, '')
      if (digits) phones.add(digits)
    }
  }
  return [...phones]
}

interface Parsed {
  kind: InboundMessage['kind']
  text?: string
  media?: Omit<EvolutionMediaRef, 'keyId' | 'remoteJid' | 'fromMe'>
  location?: InboundMessage['location']
  contacts?: InboundMessage['contacts']
  quotedExternalId?: string
}

/** One message body (`data.message`) to our kinds; anything we cannot show becomes `unsupported`. */
function parseContent(message: Record<string, any>, messageType?: string): Parsed | { reaction: Record<string, any> } | { protocol: Record<string, any> } {
  for (const key of VIEW_ONCE) if (key in message) return { kind: 'unsupported', text: 'view-once' }
  const inner = unwrap(message)
  const key = contentKey(inner, messageType)
  if (!key) return { kind: 'unsupported', text: messageType || 'unknown' }
  const content = inner[key]
  const quoted = str(content?.contextInfo?.stanzaId)
  const mediaOf = (defaultMime?: string) => ({
    mime: str(content?.mimetype) ?? defaultMime,
    fileName: str(content?.fileName) ?? str(content?.title),
    size: toNumber(content?.fileLength),
    durationSeconds: toNumber(content?.seconds),
  })
  const base = quoted ? { quotedExternalId: quoted } : {}

  switch (key) {
    case 'conversation':
      return { kind: 'text', text: typeof content === 'string' ? content : '', ...base }
    case 'extendedTextMessage':
      return { kind: 'text', text: str(content?.text) ?? '', ...base }
    case 'imageMessage':
      return { kind: 'image', text: str(content?.caption), media: mediaOf('image/jpeg'), ...base }
    case 'videoMessage':
    case 'ptvMessage':
      return { kind: 'video', text: str(content?.caption), media: mediaOf('video/mp4'), ...base }
    case 'audioMessage':
      return { kind: content?.ptt ? 'voice' : 'audio', media: mediaOf('audio/ogg'), ...base }
    case 'documentMessage':
      return { kind: 'document', text: str(content?.caption), media: mediaOf('application/octet-stream'), ...base }
    case 'stickerMessage':
      return { kind: 'sticker', media: mediaOf('image/webp'), ...base }
    case 'locationMessage':
    case 'liveLocationMessage': {
      const latitude = Number(content?.degreesLatitude)
      const longitude = Number(content?.degreesLongitude)
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return { kind: 'unsupported', text: 'location' }
      return {
        kind: 'location',
        text: str(content?.name) ?? str(content?.address),
        location: { latitude, longitude, name: str(content?.name), address: str(content?.address) },
        ...base,
      }
    }
    case 'contactMessage':
      return {
        kind: 'contact',
        text: str(content?.displayName),
        contacts: [{ name: str(content?.displayName) ?? '', phones: phonesFromVcard(content?.vcard) }],
        ...base,
      }
    case 'contactsArrayMessage': {
      const list = Array.isArray(content?.contacts) ? content.contacts : []
      return {
        kind: 'contact',
        text: str(content?.displayName),
        contacts: list.map((c: any) => ({ name: str(c?.displayName) ?? '', phones: phonesFromVcard(c?.vcard) })),
        ...base,
      }
    }
    case 'buttonsResponseMessage':
      return { kind: 'text', text: str(content?.selectedDisplayText) ?? str(content?.selectedButtonId) ?? '', ...base }
    case 'templateButtonReplyMessage':
      return { kind: 'text', text: str(content?.selectedDisplayText) ?? str(content?.selectedId) ?? '', ...base }
    case 'listResponseMessage':
      return { kind: 'text', text: str(content?.title) ?? str(content?.singleSelectReply?.selectedRowId) ?? '', ...base }
    case 'interactiveResponseMessage':
      return { kind: 'text', text: str(content?.body?.text) ?? '', ...base }
    case 'reactionMessage':
      return { reaction: isObject(content) ? content : {} }
    case 'protocolMessage':
      return { protocol: isObject(content) ? content : {} }
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
      return { kind: 'unsupported', text: 'poll', ...base }
    default:
      return { kind: 'unsupported', text: key.replace(/Message(V\d)?$/, '') || 'unknown', ...base }
  }
}

function timestampOf(data: Record<string, any>): Date {
  const seconds = toNumber(data.messageTimestamp)
  return seconds ? new Date(seconds * 1000) : new Date()
}

function requireKey(data: unknown): { key: Record<string, any>; id: string } {
  if (!isObject(data) || !isObject(data.key) || !str(data.key.id)) {
    throw new MalformedPayloadError('a message event without data.key.id')
  }
  return { key: data.key, id: data.key.id }
}

/** One MESSAGES_UPSERT / SEND_MESSAGE item to events. */
function parseUpsert(data: unknown, sentThroughApi: boolean, logger: PluginLogger): ChannelEvent[] {
  const { key, id } = requireKey(data)
  const item = data as Record<string, any>
  const remoteJid = str(key.remoteJid) ?? ''
  if (remoteJid === 'status@broadcast' || remoteJid.endsWith('@newsletter') || remoteJid.endsWith('@broadcast')) {
    return []
  }
  const isGroup = remoteJid.endsWith('@g.us')
  const pushName = str(item.pushName)
  const fromMe = key.fromMe === true

  const from = isGroup
    ? addressOf([str(key.participant), str(key.participantAlt), str(key.participantPn)], fromMe ? undefined : pushName)
    : addressOf(
        [remoteJid, str(key.remoteJidAlt), str(key.senderPn), str(key.senderLid)],
        fromMe ? undefined : pushName
      )
  if (!from) throw new MalformedPayloadError('a message whose chat is neither a phone, a LID nor a group')

  const body = isObject(item.message) ? item.message : {}
  const parsed = parseContent(body, str(item.messageType))
  const sentAt = timestampOf(item)

  if ('reaction' in parsed) {
    const target = str(parsed.reaction.key?.id)
    if (!target) throw new MalformedPayloadError('a reaction without the reacted message id')
    const emoji = typeof parsed.reaction.text === 'string' && parsed.reaction.text !== '' ? parsed.reaction.text : null
    return [{ type: 'message.reaction', targetExternalId: target, emoji, from, fromMe }]
  }
  if ('protocol' in parsed) {
    const target = str(parsed.protocol.key?.id)
    if (!target) return []
    const type = parsed.protocol.type
    if (type === 'REVOKE' || type === 0) return [{ type: 'message.deleted', targetExternalId: target }]
    const edited = parsed.protocol.editedMessage
    const text = str(edited?.conversation) ?? str(edited?.extendedTextMessage?.text)
    if (text !== undefined) return [{ type: 'message.edited', targetExternalId: target, text }]
    logger.debug({ protocolType: type }, 'evolution: protocol message ignored')
    return []
  }

  const message: InboundMessage = {
    externalId: id,
    from,
    kind: parsed.kind,
    sentAt,
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(parsed.media ? { media: { keyId: id, remoteJid, fromMe, ...parsed.media } } : {}),
    ...(parsed.location ? { location: parsed.location } : {}),
    ...(parsed.contacts ? { contacts: parsed.contacts } : {}),
    ...(parsed.quotedExternalId ? { quotedExternalId: parsed.quotedExternalId } : {}),
    ...(isGroup ? { chat: { id: remoteJid, isGroup: true } } : {}),
    ...(isGroup && str(key.participant) ? { participant: { id: key.participant, name: pushName } } : {}),
  }
  if (fromMe) {
    // SEND_MESSAGE is our API send; an upsert with fromMe was typed on the phone (Evolution runs
    // Baileys with emitOwnEvents off), but the core still checks it against sends in flight.
    return [{ type: 'message.echo', externalId: id, typedOnPhone: !sentThroughApi, message }]
  }
  return [{ type: 'message.received', message }]
}

const ACKS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  ERROR: 'failed',
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  '0': 'failed',
  '2': 'sent',
  '3': 'delivered',
  '4': 'read',
  '5': 'read',
}

function parseUpdate(data: unknown): ChannelEvent[] {
  if (!isObject(data)) throw new MalformedPayloadError('messages.update without data')
  const id = str(data.keyId) ?? str(data.key?.id)
  if (!id) throw new MalformedPayloadError('messages.update without keyId')
  const status = String(data.status ?? '')
  if (status === 'DELETED') return [{ type: 'message.deleted', targetExternalId: id }]
  const mapped = ACKS[status]
  if (!mapped) return []
  const at = toNumber(data.datetime ?? data.timestamp)
  return [{ type: 'message.status', externalId: id, status: mapped, at: at ? new Date(at > 1e12 ? at : at * 1000) : new Date() }]
}

/** Baileys' presence map: composing or recording is typing; anything else stops it. */
function parsePresence(data: unknown): ChannelEvent[] {
  if (!isObject(data) || !isObject(data.presences)) return []
  return Object.entries(data.presences).flatMap(([jid, presence]): ChannelEvent[] => {
    const from = addressOf([jid])
    if (!from || !isObject(presence)) return []
    const state = str(presence.lastKnownPresence)
    return [{ type: 'typing', from, on: state === 'composing' || state === 'recording' }]
  })
}

function parseConnection(data: unknown): ChannelEvent[] {
  if (!isObject(data)) throw new MalformedPayloadError('connection.update without data')
  const state = str(data.state)
  if (state === 'open') return [{ type: 'channel.status', status: 'connected', detail: str(data.wuid) }]
  if (state === 'close' || state === 'refused') {
    return [{ type: 'channel.status', status: 'disconnected', detail: `${state} (${data.statusReason ?? 'no reason'})` }]
  }
  return []
}

const asList = (data: unknown): unknown[] => (Array.isArray(data) ? data : [data])

/**
 * An Evolution webhook body to normalized events. The event name comes from the body, or from the
 * URL suffix when the instance posts "by events". Unknown events give no event (the caller logs them).
 */
export function parseEvolutionWebhook(body: unknown, suffix: string | undefined, logger: PluginLogger): ChannelEvent[] {
  if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object')
  const rawName = str(body.event) ?? (suffix ? suffix.split('/')[0] : undefined)
  if (!rawName) throw new MalformedPayloadError('the body has no event name')
  const event = normalizeEventName(rawName)
  const data = body.data

  switch (event) {
    case 'messages.upsert':
      return asList(data).flatMap((item) => parseUpsert(item, false, logger))
    case 'send.message':
      return asList(data).flatMap((item) => parseUpsert(item, true, logger))
    case 'messages.update':
      return asList(data).flatMap(parseUpdate)
    case 'messages.delete':
      return asList(data).map((item) => {
        const id = str((isObject(item) && isObject(item.key) ? item.key : (item as any))?.id)
        if (!id) throw new MalformedPayloadError('messages.delete without the deleted message id')
        return { type: 'message.deleted' as const, targetExternalId: id }
      })
    case 'messages.edited':
      return asList(data).flatMap((item): ChannelEvent[] => {
        if (!isObject(item)) return []
        const target = str(item.key?.id)
        if (!target) return []
        if (item.type === 'REVOKE' || item.type === 0) return [{ type: 'message.deleted' as const, targetExternalId: target }]
        const edited = item.editedMessage
        const text = str(edited?.conversation) ?? str(edited?.extendedTextMessage?.text)
        return text !== undefined ? [{ type: 'message.edited' as const, targetExternalId: target, text }] : []
      })
    case 'connection.update':
      return parseConnection(data)
    case 'presence.update':
      return parsePresence(data)
    case 'qrcode.updated':
      return [{ type: 'channel.status', status: 'qr', detail: str(data?.qrcode?.pairingCode) ?? undefined }]
    case 'call': {
      const calls = asList(data).filter(isObject)
      return calls.flatMap((call) => {
        const id = str(call.id)
        const from = addressOf([str(call.from), str(call.chatId)])
        if (!id || !from || (call.status && call.status !== 'offer')) return []
        const sentAt = toNumber(call.date)
        return [
          {
            type: 'message.received' as const,
            message: {
              externalId: `call-${id}`,
              from,
              kind: 'unsupported' as const,
              text: call.isVideo ? 'video call' : 'call',
              sentAt: sentAt ? new Date(sentAt > 1e12 ? sentAt : sentAt * 1000) : new Date(),
            },
          },
        ]
      })
    }
    default:
      logger.info({ event }, 'evolution: event ignored')
      return []
  }
}
