import {
  MalformedPayloadError,
  type ChannelEvent,
  type ContactAddress,
  type InboundMessage,
  type PluginLogger,
} from '#plugins/sdk'

/** Our track_source on sends: an echo carrying it is matched to our message by its track_id. */
export const TRACK_SOURCE = 'niochat'

const isObject = (value: unknown): value is Record<string, any> =>
  !!value && typeof value === 'object' && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined)
const digitsOf = (jid: string) => jid.split('@')[0].split(':')[0].replace(/\D/g, '')

function addressOf(jids: (string | undefined)[], name?: string): ContactAddress | undefined {
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

/** Uazapi timestamps are milliseconds; tolerate seconds and strings. */
function dateOf(value: unknown): Date {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return new Date()
  return new Date(n > 1e12 ? n : n * 1000)
}

const MEDIA_KINDS: Record<string, InboundMessage['kind']> = {
  image: 'image',
  video: 'video',
  ptv: 'video',
  ptt: 'voice',
  audio: 'audio',
  myaudio: 'audio',
  document: 'document',
  sticker: 'sticker',
}

const UNSUPPORTED: Record<string, string> = {
  PollCreationMessage: 'poll',
  PollCreationMessageV2: 'poll',
  PollCreationMessageV3: 'poll',
  PollUpdateMessage: 'poll vote',
  ViewOnceMessage: 'view-once',
  ViewOnceMessageV2: 'view-once',
  CallLogMessage: 'call',
}

function parseMessage(message: Record<string, any>): Omit<InboundMessage, 'externalId' | 'from' | 'sentAt'> {
  const messageType = str(message.messageType) ?? ''
  const content = message.content
  const text = typeof message.text === 'string' ? message.text : undefined
  const quoted = str(message.quoted)
  const base = quoted ? { quotedExternalId: quoted } : {}
  if (UNSUPPORTED[messageType]) return { kind: 'unsupported', text: UNSUPPORTED[messageType], ...base }

  const mediaType = str(message.mediaType) ?? ''
  if (message.type === 'media' || MEDIA_KINDS[mediaType]) {
    const kind = MEDIA_KINDS[mediaType] ?? (content?.PTT ? 'voice' : 'document')
    return {
      kind,
      ...(text ? { text } : {}),
      media: {
        messageId: message.messageid,
        mime: str(content?.mimetype),
        fileName: str(content?.fileName) ?? str(content?.title),
        size: typeof content?.fileLength === 'number' ? content.fileLength : undefined,
        durationSeconds: typeof content?.seconds === 'number' ? content.seconds : undefined,
      },
      ...base,
    }
  }
  if (messageType === 'LocationMessage' || messageType === 'LiveLocationMessage') {
    const latitude = Number(content?.degreesLatitude)
    const longitude = Number(content?.degreesLongitude)
    if (Number.isFinite(latitude) && Number.isFinite(longitude)) {
      return {
        kind: 'location',
        text: str(content?.name) ?? str(content?.address),
        location: { latitude, longitude, name: str(content?.name), address: str(content?.address) },
        ...base,
      }
    }
    return { kind: 'unsupported', text: 'location', ...base }
  }
  if (messageType === 'ContactMessage' || messageType === 'ContactsArrayMessage') {
    const cards = messageType === 'ContactMessage' ? [content] : Array.isArray(content?.contacts) ? content.contacts : []
    return {
      kind: 'contact',
      text: str(content?.displayName),
      contacts: cards.map((card: any) => ({
        name: str(card?.displayName) ?? '',
        phones: [...String(card?.vcard ?? '').matchAll(/waid=(\d+)/g)].map((m) => m[1]),
      })),
      ...base,
    }
  }
  if (messageType === 'Conversation' || messageType === 'ExtendedTextMessage' || message.type === 'text' || text) {
    const body = text ?? (typeof content === 'string' ? content : str(content?.text)) ?? ''
    return { kind: 'text', text: body, ...base }
  }
  return { kind: 'unsupported', text: messageType.replace(/Message$/, '').toLowerCase() || 'unknown', ...base }
}

function parseMessagesEvent(body: Record<string, any>): ChannelEvent[] {
  const message = body.message
  if (!isObject(message)) throw new MalformedPayloadError('a messages event without message')
  const id = str(message.messageid) ?? str(message.id)?.split(':').pop()
  if (!id) throw new MalformedPayloadError('a message without messageid')
  const chatid = str(message.chatid) ?? str(body.chat?.wa_chatid) ?? ''
  const isGroup = message.isGroup === true || chatid.endsWith('@g.us')
  const fromMe = message.fromMe === true
  const name = fromMe ? undefined : str(message.senderName) ?? str(body.chat?.wa_name)
  const from = isGroup
    ? addressOf([str(message.sender_pn), str(message.sender), str(message.sender_lid)], name)
    : addressOf([chatid, str(message.chatlid), str(body.chat?.wa_chatlid), ...(fromMe ? [] : [str(message.sender_pn), str(message.sender_lid)])], name)
  if (!from) throw new MalformedPayloadError('a message whose chat is neither a phone, a LID nor a group')

  if (message.type === 'reaction' || message.messageType === 'ReactionMessage') {
    const target = str(message.reaction) ?? str(message.content?.key?.ID)
    if (!target) throw new MalformedPayloadError('a reaction without the reacted message id')
    return [{ type: 'message.reaction', targetExternalId: target, emoji: str(message.text) ?? null, from, fromMe }]
  }
  const edited = str(message.edited)
  if (edited) return [{ type: 'message.edited', targetExternalId: edited, text: String(message.text ?? '') }]

  const inbound: InboundMessage = {
    externalId: id,
    from,
    sentAt: dateOf(message.messageTimestamp),
    ...parseMessage(message),
    ...(isGroup ? { chat: { id: chatid, isGroup: true, name: str(message.groupName) } } : {}),
    ...(isGroup && str(message.sender) ? { participant: { id: message.sender, name: str(message.senderName) } } : {}),
  }
  if (fromMe) {
    const ours = message.wasSentByApi === true
    const trackId = ours && message.track_source === TRACK_SOURCE ? str(message.track_id) : undefined
    return [{ type: 'message.echo', externalId: id, typedOnPhone: !ours, message: inbound, ...(trackId ? { trackId } : {}) }]
  }
  return [{ type: 'message.received', message: inbound }]
}

const ACKS: Record<string, 'sent' | 'delivered' | 'read'> = {
  sent: 'sent',
  serverack: 'sent',
  delivered: 'delivered',
  deliveryack: 'delivered',
  read: 'read',
  played: 'read',
}

function parseUpdateEvent(body: Record<string, any>): ChannelEvent[] {
  const event = isObject(body.event) ? body.event : {}
  const ids = (Array.isArray(event.MessageIDs) ? event.MessageIDs : []).filter((id: unknown) => str(id)) as string[]
  if (!ids.length) {
    const single = str(body.message?.messageid)
    if (single) ids.push(single)
  }
  if (!ids.length) throw new MalformedPayloadError('messages_update without message ids')
  const state = String(event.Type ?? body.state ?? body.type ?? '')
  if (/delet|revok/i.test(state) || /delet|revok/i.test(String(body.type ?? ''))) {
    return ids.map((id) => ({ type: 'message.deleted' as const, targetExternalId: id }))
  }
  // ReadSelf / PlayedSelf are our own reads of their messages, not acks of ours.
  if (/self/i.test(state)) return []
  const status = ACKS[state.toLowerCase()]
  if (!status) return []
  const at = dateOf(event.Timestamp)
  return ids.map((id) => ({ type: 'message.status' as const, externalId: id, status, at }))
}

function parseConnectionEvent(body: Record<string, any>): ChannelEvent[] {
  const instance = isObject(body.instance) ? body.instance : {}
  const status = String(instance.status ?? body.status ?? '')
  if (status === 'connected') return [{ type: 'channel.status', status: 'connected', detail: str(body.owner) }]
  if (status === 'disconnected') {
    return [{ type: 'channel.status', status: 'disconnected', detail: str(instance.lastDisconnectReason) ?? str(body.type) }]
  }
  if (status === 'connecting' && str(instance.qrcode)) return [{ type: 'channel.status', status: 'qr' }]
  return []
}

/** A uazapiGO webhook body to normalized events; the event name is `EventType` or the URL suffix. */
export function parseUazapiWebhook(body: unknown, suffix: string | undefined, logger: PluginLogger): ChannelEvent[] {
  if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object')
  const eventType = str(body.EventType) ?? str(body.eventType) ?? (suffix ? suffix.split('/')[0] : undefined)
  if (!eventType) throw new MalformedPayloadError('the body has no EventType')
  switch (eventType.toLowerCase()) {
    case 'messages':
      return parseMessagesEvent(body)
    case 'messages_update':
      return parseUpdateEvent(body)
    case 'connection':
      return parseConnectionEvent(body)
    default:
      logger.info({ event: eventType }, 'uazapi: event ignored')
      return []
  }
}
