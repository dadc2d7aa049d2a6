import db from '@adonisjs/lucid/services/db'
import plugins from '#plugins/main'
import { splitReply } from '#services/ai/reply_splitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Job } from 'bullmq'
import ApiError from '#exceptions/api_error'
import Attachment from '#models/attachment'
import Conversation from '#models/conversation'
import Inbox from '#models/inbox'
import Message, { type MessageType, type SenderKind } from '#models/message'
import Provider from '#models/provider'
import { channels } from '#realtime/channels'
import { PluginError, type ContactAddress, type OutboundMessage } from '#plugins/sdk'
import { publishMessageEvent } from '#services/conversation_events'
import inboxes from '#services/inbox_service'
import { currentLogger } from '#services/logging'
import media from '#services/media_service'
import outbox from '#services/outbox_service'
import realtime from '#services/realtime_service'
import { presentMessage } from '#transformers/message_presenter'
import { truncate } from '#services/text'

export const outboundJobId = (messageId: number) => `outbound-${messageId}`

export interface QueueInput {
  senderKind: SenderKind
  senderId?: number | null
  senderName?: string | null
  content: string | null
  type?: MessageType
  private?: boolean
  quotedMessageId?: number | null
  attachmentIds?: number[]
  metadata?: Record<string, unknown>
}

const SENDABLE: MessageType[] = ['text', 'image', 'audio', 'voice', 'video', 'document']
const DONE = ['sent', 'delivered', 'read']

/**
 * The outbound pipeline (DESIGN "Conversation lifecycle"): a message is stored `queued` with its send
 * job in the outbox (same transaction); the job sends it once, records the provider's id, retries
 * with back-off on temporary failures and ends `failed` with the reason after the last attempt.
 */
export class OutboundService {
  /** Stores an outbound message and its send job inside the caller's transaction. */
  async queue(trx: TransactionClientContract, conversation: Conversation, input: QueueInput): Promise<Message> {
    const attachments = input.attachmentIds?.length
      ? await Attachment.query({ client: trx })
          .where('providerId', conversation.providerId)
          .whereIn('id', input.attachmentIds)
          .whereNull('messageId')
          .forUpdate()
      : []
    if (input.attachmentIds && attachments.length !== input.attachmentIds.length) {
      throw new ApiError(422, 'An attachment does not exist or is already used', 'attachments', 'exists')
    }
    const type = input.type ?? (attachments[0] ? (attachments[0].kind as MessageType) : 'text')
    const message = await Message.create(
      {
        providerId: conversation.providerId,
        conversationId: conversation.id,
        inboxId: conversation.inboxId,
        direction: 'out',
        senderKind: input.senderKind,
        senderId: input.senderId ?? null,
        senderName: input.senderName ?? null,
        type,
        content: input.content,
        private: input.private ?? false,
        quotedMessageId: input.quotedMessageId ?? null,
        status: input.private ? 'sent' : 'queued',
        reactions: [],
        metadata: input.metadata ?? {},
      },
      { client: trx }
    )
    for (const attachment of attachments) {
      attachment.useTransaction(trx)
      attachment.messageId = message.id
      await attachment.save()
    }
    if (!input.private) {
      await outbox.add(trx, {
        providerId: conversation.providerId,
        queue: 'outbound',
        jobName: 'outbound.send',
        jobId: outboundJobId(message.id),
        payload: { providerId: conversation.providerId, messageId: message.id },
      })
    }
    conversation.useTransaction(trx)
    conversation.lastActivityAt = message.createdAt
    if (!input.private) conversation.lastMessagePreview = truncate(input.content ?? `[${type}]`, 200)
    if (input.senderKind === 'agent' && !input.private) {
      conversation.hadHuman = true
      conversation.firstResponseAt = conversation.firstResponseAt ?? message.createdAt
      conversation.firstHumanResponseAt = conversation.firstHumanResponseAt ?? message.createdAt
    }
    if (input.senderKind === 'ai') conversation.firstResponseAt = conversation.firstResponseAt ?? message.createdAt
    await conversation.save()
    if (attachments.length) await message.load('attachments')
    await publishMessageEvent(conversation, message, 'message.created', trx)
    return message
  }

  /**
   * Whether an earlier outbound message of the same conversation is still waiting to be sent: the
   * customer must read messages in the order they were written (an invoice text, its QR image, the
   * confirmation), so a send waits for those before it.
   */
  async waitingBehind(messageId: number): Promise<boolean> {
    const message = await Message.find(messageId)
    if (!message) return false
    const earlier = await Message.query()
      .where({ providerId: message.providerId, conversationId: message.conversationId, direction: 'out', private: false })
      .where('id', '<', message.id)
      .whereIn('status', ['queued', 'sending'])
      .first()
    return Boolean(earlier)
  }

  /** The CSAT survey and other system texts. */
  async queueSystemText(
    trx: TransactionClientContract,
    conversation: Conversation,
    text: string,
    metadata: Record<string, unknown>
  ) {
    await this.queue(trx, conversation, { senderKind: 'system', content: text, metadata })
  }

  /** An agent's message from the API (`POST …/conversations/:id/messages`). */
  async sendFromAgent(
    agent: { userId: number; name: string },
    conversation: Conversation,
    input: { content?: string; private?: boolean; replyTo?: number; attachments?: number[] }
  ) {
    if (!input.content && !input.attachments?.length) {
      throw new ApiError(422, 'A message needs content or an attachment', 'content', 'required')
    }
    return db.transaction(async (trx) => {
      const locked = await Conversation.query({ client: trx }).where('id', conversation.id).forUpdate().firstOrFail()
      let quotedMessageId: number | null = null
      if (input.replyTo) {
        const quoted = await Message.query({ client: trx })
          .where({ providerId: locked.providerId, conversationId: locked.id, id: input.replyTo })
          .first()
        if (!quoted) throw new ApiError(422, 'The quoted message is not in this conversation', 'replyTo', 'exists')
        quotedMessageId = quoted.id
      }
      // A text longer than the channel carries goes as several messages, cut at paragraphs/sentences;
      // a caption longer than the channel carries goes as such texts right after its media.
      const capabilities = input.private ? undefined : (await this.#channelOf(locked))?.capabilities
      const maxText = capabilities?.maxTextLength
      const maxCaption = capabilities?.maxCaptionLength
      const split = (text: string) => (maxText && text.length > maxText ? splitReply(text, maxText) : [text])
      const parts: { content: string | null; attachmentIds?: number[] }[] = []
      if (input.attachments?.length) {
        const captionFits = !input.content || !maxCaption || input.content.length <= maxCaption
        parts.push({ content: captionFits ? (input.content ?? null) : null, attachmentIds: input.attachments })
        if (!captionFits) parts.push(...split(input.content!).map((content) => ({ content })))
      } else {
        parts.push(...split(input.content!).map((content) => ({ content })))
      }
      let first: Message | undefined
      for (const [index, part] of parts.entries()) {
        const queued = await this.queue(trx, locked, {
          senderKind: 'agent',
          senderId: agent.userId,
          senderName: agent.name,
          content: part.content,
          private: input.private,
          quotedMessageId: index === 0 ? quotedMessageId : null,
          attachmentIds: part.attachmentIds,
        })
        first ??= queued
      }
      return first!
    })
  }

  async #channelOf(conversation: Conversation) {
    const inbox = await Inbox.find(conversation.inboxId)
    return inbox ? plugins.channels.find(inbox.pluginId) : undefined
  }

  /**
   * The send job. Never sends twice: a message that already has a provider id (or a later status) is
   * done; one left `sending` by a crashed attempt is not re-sent blindly but marked failed for a human
   * to check, since the provider may have delivered it.
   */
  async deliver(messageId: number, job?: Pick<Job, 'attemptsMade' | 'opts'>): Promise<string> {
    const claimed = await db.transaction(async (trx) => {
      const message = await Message.query({ client: trx }).where('id', messageId).forUpdate().first()
      if (!message || message.direction !== 'out' || message.private) return { outcome: 'skipped' as const }
      if (message.externalId || DONE.includes(message.status)) return { outcome: 'already_sent' as const }
      if (message.status === 'failed') return { outcome: 'failed' as const }
      if (message.status === 'sending') {
        await this.#fail(trx, message, 'The previous attempt stopped while sending; check the chat before retrying')
        return { outcome: 'failed' as const }
      }
      const provider = await Provider.findOrFail(message.providerId, { client: trx })
      if (provider.isSuspended) {
        await this.#fail(trx, message, 'The provider is suspended')
        return { outcome: 'failed' as const }
      }
      message.status = 'sending'
      message.attempts = (message.attempts ?? 0) + 1
      await message.useTransaction(trx).save()
      return { outcome: 'claimed' as const, message }
    })
    if (claimed.outcome !== 'claimed') return claimed.outcome
    const message = claimed.message

    const conversation = await Conversation.findOrFail(message.conversationId)
    const inbox = await Inbox.findOrFail(message.inboxId)
    try {
      if (!SENDABLE.includes(message.type)) throw new PluginError('unsupported', `a ${message.type} message cannot be sent`)
      const adapter = inboxes.adapterOf(inbox)
      const outbound = await this.#outboundOf(message, conversation)
      const { externalId } = await adapter.send(outbound, inboxes.contextFor(inbox))
      await this.#recordSent(message.id, externalId)
      return 'sent'
    } catch (error) {
      const retryable = !(error instanceof PluginError) || error.retryable
      const attempts = job?.opts?.attempts ?? 1
      const last = !retryable || (job?.attemptsMade ?? 0) + 1 >= attempts
      const reason = error instanceof PluginError ? error.message : 'Unexpected error while sending'
      if (!(error instanceof PluginError)) currentLogger().error({ err: error, message_id: message.id }, 'outbound: send crashed')
      await db.transaction(async (trx) => {
        const locked = await Message.query({ client: trx }).where('id', message.id).forUpdate().firstOrFail()
        if (locked.externalId) return // the echo arrived meanwhile: it was sent after all
        if (last) return this.#fail(trx, locked, reason)
        locked.status = 'queued'
        locked.error = reason
        await locked.useTransaction(trx).save()
      })
      if (last) return 'failed'
      throw error
    }
  }

  /** Agent action: a failed message goes back to the queue (the "retry" button). */
  async retry(message: Message) {
    if (message.status !== 'failed' || message.direction !== 'out') {
      throw new ApiError(422, 'Only a failed outbound message can be retried', 'status', 'failed')
    }
    await db.transaction(async (trx) => {
      message.useTransaction(trx)
      message.status = 'queued'
      message.error = null
      await message.save()
      await outbox.add(trx, {
        providerId: message.providerId,
        queue: 'outbound',
        jobName: 'outbound.send',
        jobId: `${outboundJobId(message.id)}-retry-${message.attempts}`,
        payload: { providerId: message.providerId, messageId: message.id },
      })
    })
  }

  async #recordSent(messageId: number, externalId: string) {
    await db.transaction(async (trx) => {
      const message = await Message.query({ client: trx }).where('id', messageId).forUpdate().firstOrFail()
      if (!message.externalId) {
        // An echo that outlived its hold was stored as a message of its own: ours is the real one.
        await trx
          .from('messages')
          .where({ provider_id: message.providerId, inbox_id: message.inboxId, external_id: externalId })
          .whereNot('id', message.id)
          .whereRaw(`metadata->>'echo' = 'true'`)
          .delete()
        message.externalId = externalId
      }
      if (!DONE.includes(message.status)) message.status = 'sent'
      message.error = null
      message.sentAt = message.sentAt ?? (await import('luxon')).DateTime.now()
      await message.useTransaction(trx).save()
      await realtime.publish(
        {
          providerId: message.providerId,
          audience: channels.conversation(message.providerId, message.conversationId),
          event: 'message.updated',
          payload: { message: presentMessage(message) },
        },
        trx
      )
    })
  }

  async #fail(trx: TransactionClientContract, message: Message, reason: string) {
    message.status = 'failed'
    message.error = reason.slice(0, 1000)
    await message.useTransaction(trx).save()
    await realtime.publish(
      {
        providerId: message.providerId,
        audience: channels.conversation(message.providerId, message.conversationId),
        event: 'message.updated',
        payload: { message: presentMessage(message) },
      },
      trx
    )
  }

  async #outboundOf(message: Message, conversation: Conversation): Promise<OutboundMessage> {
    const to = await this.addressOf(conversation)
    const quoted = message.quotedMessageId ? await Message.find(message.quotedMessageId) : null
    const attachment = message.type === 'text' ? null : await Attachment.query().where('messageId', message.id).first()
    if (message.type !== 'text' && (!attachment || attachment.status !== 'ready')) {
      throw new PluginError('unavailable', 'the attachment is not ready yet')
    }
    return {
      id: message.id,
      to,
      ...(conversation.isGroup && conversation.chatId ? { chatId: conversation.chatId } : {}),
      kind: message.type as OutboundMessage['kind'],
      ...(message.content ? { text: message.content } : {}),
      ...(attachment ? { media: media.outboundMediaOf(attachment) } : {}),
      ...(quoted?.externalId ? { quoted: { externalId: quoted.externalId, text: quoted.content ?? undefined } } : {}),
      ...(message.senderName ? { agentName: message.senderName } : {}),
      ...(await this.#threadOf(conversation)),
    }
  }

  /**
   * Channels with threads (e-mail) answer the customer's latest message: its id as In-Reply-To, the
   * chain as References, its subject.
   */
  async #threadOf(conversation: Conversation): Promise<Pick<OutboundMessage, 'thread'>> {
    const last = await Message.query()
      .where({ providerId: conversation.providerId, conversationId: conversation.id, direction: 'in' })
      .whereRaw("(metadata->'thread') is not null")
      .orderBy('id', 'desc')
      .first()
    const thread = last?.metadata?.thread as { messageId?: string; references?: string[]; subject?: string } | undefined
    if (!thread?.messageId) return {}
    return { thread: { inReplyTo: thread.messageId, references: [...(thread.references ?? []), thread.messageId], subject: thread.subject } }
  }

  /** Where a conversation's messages go: the contact's identities as the channel's address. */
  async addressOf(conversation: Conversation): Promise<ContactAddress> {
    const identities = await db
      .from('contact_identities')
      .where({ provider_id: conversation.providerId, contact_id: conversation.contactId })
      .select('kind', 'value')
    const get = (kind: string) => identities.find((row) => row.kind === kind)?.value as string | undefined
    const contact = await db.from('contacts').where('id', conversation.contactId).select('name', 'phone').first()
    const name = contact?.name ?? undefined
    const inbox = await db.from('inboxes').where('id', conversation.inboxId).select('plugin_id').first()
    const prefix = `${inbox?.plugin_id}:`
    const other = identities.find((row) => row.kind === 'other' && String(row.value).startsWith(prefix))
    if (other) return { kind: 'other', id: String(other.value).slice(prefix.length), ...(contact?.phone ? { phone: contact.phone } : {}), name }
    if (get('telegram')) return { kind: 'telegram', userId: get('telegram')!, name }
    if (get('email')) return { kind: 'email', address: get('email')!, name }
    if (get('simulator')) return { kind: 'simulator', sessionId: get('simulator')!, name }
    const phone = get('whatsapp') ?? contact?.phone ?? undefined
    return { kind: 'whatsapp', ...(phone ? { phone } : {}), ...(get('whatsapp_lid') ? { lid: get('whatsapp_lid') } : {}), name }
  }

}

const outbound = new OutboundService()
export default outbound
