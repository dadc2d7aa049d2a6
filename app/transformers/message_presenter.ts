import type Message from '#models/message'
import type Attachment from '#models/attachment'

const iso = (value: { toISO(): string | null } | null | undefined) => value?.toISO() ?? null

/** An attachment as the API shows it: the authorized media route, never a storage path. */
export function presentAttachment(attachment: Attachment) {
  return {
    id: attachment.id,
    kind: attachment.kind,
    mime: attachment.mime,
    fileName: attachment.fileName,
    size: attachment.size === null ? null : Number(attachment.size),
    durationMs: attachment.durationMs,
    status: attachment.status,
    url: `/api/v1/providers/${attachment.providerId}/attachments/${attachment.id}`,
    playbackUrl: attachment.playbackKey
      ? `/api/v1/providers/${attachment.providerId}/attachments/${attachment.id}?variant=playback`
      : null,
  }
}

/** A message in lists and realtime payloads: camelCase, integer ids, ISO dates. */
export function presentMessage(message: Message) {
  const related = message.$preloaded as Record<string, any>
  return {
    id: Number(message.id),
    conversationId: message.conversationId,
    inboxId: message.inboxId,
    direction: message.direction,
    senderKind: message.senderKind,
    senderId: message.senderId,
    senderName: message.senderName,
    type: message.type,
    content: message.deletedAt ? null : message.content,
    private: message.private,
    externalId: message.externalId,
    quotedMessageId: message.quotedMessageId === null ? null : Number(message.quotedMessageId),
    status: message.status,
    error: message.error,
    reactions: message.reactions ?? [],
    location: message.metadata?.location ?? null,
    contacts: message.metadata?.contacts ?? null,
    /** What a system event line says (assignment, transfer, resolution...), for the inbox to word. */
    event: message.metadata?.event ?? null,
    /** The AI tool an event line reports on, and which part of the CSAT survey a system text is. */
    tool: typeof message.metadata?.tool === 'string' ? message.metadata.tool : null,
    csat: typeof message.metadata?.csat?.part === 'string' ? message.metadata.csat.part : null,
    deleted: Boolean(message.deletedAt),
    deletedAt: iso(message.deletedAt),
    editedAt: iso(message.editedAt),
    sentAt: iso(message.sentAt),
    createdAt: iso(message.createdAt),
    ...(related.attachments ? { attachments: (related.attachments as Attachment[]).map(presentAttachment) } : {}),
  }
}
