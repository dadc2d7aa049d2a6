import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import Conversation from '#models/conversation'
import Inbox from '#models/inbox'
import Message from '#models/message'
import { channels } from '#realtime/channels'
import { PluginError } from '#plugins/sdk'
import audit from '#services/audit_service'
import inboxes from '#services/inbox_service'
import outbound from '#services/outbound_service'
import realtime from '#services/realtime_service'
import { canSeeConversation, type Viewer } from '#services/visibility_service'
import { presentMessage } from '#transformers/message_presenter'

/**
 * What an agent does to one message besides writing: react with an emoji and delete for everyone.
 * The channel is asked first (it may refuse or be down); only then is the change stored and pushed,
 * so the inbox never shows a reaction the customer did not get.
 */
class MessageActionService {
  async react(viewer: Viewer, conversationId: unknown, messageId: unknown, emoji: string | null) {
    const { conversation, message, inbox } = await this.#load(viewer, conversationId, messageId)
    if (message.private || message.senderKind === 'system') throw new ApiError(422, 'Notes and events cannot get reactions', 'messageId', 'reactable')
    const adapter = inboxes.adapterOf(inbox)
    if (!adapter.capabilities.reactions || !adapter.react) throw new ApiError(422, 'This channel does not carry reactions', 'emoji', 'channel')
    if (!message.externalId) throw new ApiError(409, 'The message has not reached the channel yet')
    const to = await outbound.addressOf(conversation)
    await this.#channelCall(() => adapter.react!(message.externalId!, emoji ?? '', to, inboxes.contextFor(inbox)))
    return this.#store(conversation, message.id, (m) => {
      const others = (m.reactions ?? []).filter((r) => r.by !== viewer.userId)
      m.reactions = emoji ? [...others, { emoji, by: viewer.userId, at: new Date().toISOString() }] : others
    })
  }

  async deleteForEveryone(viewer: Viewer & { ip?: string | null }, conversationId: unknown, messageId: unknown) {
    const { conversation, message, inbox } = await this.#load(viewer, conversationId, messageId)
    if (message.deletedAt) return message
    if (message.direction !== 'out' || !['agent', 'ai'].includes(message.senderKind)) {
      throw new ApiError(422, 'Only messages sent by the team can be deleted', 'messageId', 'ours')
    }
    if (viewer.role === 'agent' && message.senderId !== viewer.userId) throw ApiError.forbidden('Agents delete only their own messages')
    if (!message.private) {
      const adapter = inboxes.adapterOf(inbox)
      if (!adapter.capabilities.deleteForEveryone || !adapter.deleteForEveryone) {
        throw new ApiError(422, 'This channel cannot delete a message for everyone', 'messageId', 'channel')
      }
      if (message.externalId) {
        const to = await outbound.addressOf(conversation)
        await this.#channelCall(() => adapter.deleteForEveryone!(message.externalId!, to, inboxes.contextFor(inbox)))
      }
    }
    const stored = await this.#store(conversation, message.id, (m) => {
      m.deletedAt = DateTime.now()
      // Not sent yet: it never will be.
      if (m.status === 'queued') m.status = 'failed'
    })
    await audit.record({ providerId: conversation.providerId, userId: viewer.userId, action: 'message.deleted', targetType: 'message', targetId: message.id, before: { content: message.content }, ip: viewer.ip ?? null })
    return stored
  }

  async #load(viewer: Viewer, conversationId: unknown, messageId: unknown) {
    const cid = Number(conversationId)
    const mid = Number(messageId)
    const conversation = Number.isSafeInteger(cid) ? await Conversation.query().where({ providerId: viewer.provider.id, id: cid }).first() : null
    if (!conversation || !canSeeConversation(viewer, conversation)) throw ApiError.notFound('Conversation')
    const message = Number.isSafeInteger(mid) ? await Message.query().where({ conversationId: conversation.id, id: mid }).first() : null
    if (!message) throw ApiError.notFound('Message')
    const inbox = await Inbox.findOrFail(conversation.inboxId)
    return { conversation, message, inbox }
  }

  async #channelCall(call: () => Promise<void>) {
    try {
      await call()
    } catch (error) {
      if (!(error instanceof PluginError)) throw error
      if (error.retryable) throw new ApiError(503, `The channel did not answer; try again (${error.message})`)
      throw new ApiError(422, `The channel refused: ${error.message}`)
    }
  }

  async #store(conversation: Conversation, messageId: number, change: (message: Message) => void) {
    return db.transaction(async (trx) => {
      const message = await Message.query({ client: trx }).where('id', messageId).forUpdate().firstOrFail()
      change(message)
      await message.useTransaction(trx).save()
      await realtime.publish(
        { providerId: conversation.providerId, audience: channels.conversation(conversation.providerId, conversation.id), event: 'message.updated', payload: { message: presentMessage(message) } },
        trx
      )
      return message
    })
  }
}

const messageActions = new MessageActionService()
export default messageActions
