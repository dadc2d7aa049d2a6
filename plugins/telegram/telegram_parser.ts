import {
  MalformedPayloadError,
  type ChannelEvent,
  type ContactAddress,
  type InboundMessage,
  type MediaRef,
} from '#plugins/sdk'

const isObject = (value: unknown): value is Record<string, any> => !!value && typeof value === 'object' && !Array.isArray(value)
const str = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined)
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/** message_id is unique per chat only: ours is `<chat id>:<message id>`. */
export const externalIdOf = (chatId: number | string, messageId: number | string) => `${chatId}:${messageId}`

function nameOf(user: Record<string, any>) {
  return [str(user.first_name), str(user.last_name)].filter(Boolean).join(' ') || str(user.username)
}

function senderOf(message: Record<string, any>): ContactAddress {
  const from = message.from
  if (!isObject(from) || num(from.id) === undefined) throw new MalformedPayloadError('message.from.id is missing')
  // Bots learn a phone only when the user shares their own contact: keep it, the ISP lookup uses it.
  const shared = isObject(message.contact) && message.contact.user_id === from.id ? str(message.contact.phone_number)?.replace(/\D/g, '') : undefined
  return {
    kind: 'telegram',
    userId: String(from.id),
    ...(str(from.username) ? { username: from.username } : {}),
    ...(nameOf(from) ? { name: nameOf(from) } : {}),
    ...(shared ? { phone: shared } : {}),
  }
}

function media(file: Record<string, any>, mime: string, fileName?: string): MediaRef {
  const id = str(file.file_id)
  if (!id) throw new MalformedPayloadError('a file without file_id')
  return {
    fileId: id,
    mime: str(file.mime_type) ?? mime,
    ...(fileName ?? str(file.file_name) ? { fileName: fileName ?? file.file_name } : {}),
    ...(num(file.file_size) ? { size: file.file_size } : {}),
    ...(num(file.duration) ? { durationSeconds: file.duration } : {}),
  }
}

const UNSUPPORTED: Record<string, string> = { poll: 'poll', dice: 'dice', game: 'game', invoice: 'invoice', venue: 'venue', story: 'story' }

/** The content of a Message, in our terms. */
function contentOf(message: Record<string, any>): Pick<InboundMessage, 'kind' | 'text' | 'media' | 'location' | 'contacts'> {
  const caption = str(message.caption)
  if (typeof message.text === 'string') return { kind: 'text', text: message.text }
  if (Array.isArray(message.photo) && message.photo.length) {
    // Sizes come smallest first: the last is the original.
    return { kind: 'image', text: caption, media: media(message.photo[message.photo.length - 1], 'image/jpeg', 'photo.jpg') }
  }
  if (isObject(message.voice)) return { kind: 'voice', text: caption, media: media(message.voice, 'audio/ogg', 'voice.ogg') }
  if (isObject(message.audio)) return { kind: 'audio', text: caption, media: media(message.audio, 'audio/mpeg') }
  if (isObject(message.video)) return { kind: 'video', text: caption, media: media(message.video, 'video/mp4') }
  if (isObject(message.video_note)) return { kind: 'video', text: caption, media: media(message.video_note, 'video/mp4', 'video_note.mp4') }
  if (isObject(message.animation)) return { kind: 'video', text: caption, media: media(message.animation, 'video/mp4') }
  if (isObject(message.document)) return { kind: 'document', text: caption, media: media(message.document, 'application/octet-stream') }
  if (isObject(message.sticker)) return { kind: 'sticker', media: media(message.sticker, message.sticker.is_animated ? 'application/x-tgsticker' : 'image/webp', 'sticker.webp') }
  if (isObject(message.location)) {
    const latitude = num(message.location.latitude)
    const longitude = num(message.location.longitude)
    if (latitude === undefined || longitude === undefined) throw new MalformedPayloadError('a location without coordinates')
    return { kind: 'location', location: { latitude, longitude } }
  }
  if (isObject(message.contact)) {
    const name = [str(message.contact.first_name), str(message.contact.last_name)].filter(Boolean).join(' ') || 'Contato'
    return { kind: 'contact', contacts: [{ name, phones: str(message.contact.phone_number) ? [message.contact.phone_number] : [] }] }
  }
  const label = Object.keys(UNSUPPORTED).find((key) => key in message)
  return { kind: 'unsupported', text: label ? UNSUPPORTED[label] : 'mensagem do Telegram' }
}

/**
 * One webhook call is one Update. Messages and edits become events; service updates (the bot blocked,
 * added to a group, button presses) are acknowledged with nothing to store.
 */
export function parseTelegramUpdate(body: unknown): ChannelEvent[] {
  if (!isObject(body) || num(body.update_id) === undefined) throw new MalformedPayloadError('not a Telegram Update (no update_id)')
  const edited = body.edited_message ?? body.edited_channel_post
  if (isObject(edited)) {
    if (!isObject(edited.chat) || num(edited.message_id) === undefined) throw new MalformedPayloadError('edited_message without chat or message_id')
    const text = str(edited.text) ?? str(edited.caption)
    if (!text) return []
    return [{ type: 'message.edited', targetExternalId: externalIdOf(edited.chat.id, edited.message_id), text }]
  }
  const message = body.message
  if (!isObject(message)) return []
  if (!isObject(message.chat) || num(message.chat.id) === undefined || num(message.message_id) === undefined) {
    throw new MalformedPayloadError('message without chat.id or message_id')
  }
  const chat = message.chat
  const group = chat.type !== 'private'
  const content = contentOf(message)
  return [
    {
      type: 'message.received',
      message: {
        externalId: externalIdOf(chat.id, message.message_id),
        from: senderOf(message),
        ...(group ? { chat: { id: String(chat.id), isGroup: true, ...(str(chat.title) ? { name: chat.title } : {}) } } : {}),
        ...content,
        ...(isObject(message.reply_to_message) && num(message.reply_to_message.message_id) !== undefined
          ? { quotedExternalId: externalIdOf(chat.id, message.reply_to_message.message_id) }
          : {}),
        ...(group ? { participant: { id: String(message.from?.id ?? ''), ...(nameOf(message.from ?? {}) ? { name: nameOf(message.from) } : {}) } } : {}),
        sentAt: new Date((num(message.date) ?? Date.now() / 1000) * 1000),
      },
    },
  ]
}
