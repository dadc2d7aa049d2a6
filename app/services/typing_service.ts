import db from '@adonisjs/lucid/services/db'
import type Conversation from '#models/conversation'
import type Inbox from '#models/inbox'
import type User from '#models/user'
import { channels } from '#realtime/channels'
import type { ContactAddress } from '#plugins/sdk'
import { identitiesOf } from '#services/contact_identities'
import inboxes from '#services/inbox_service'
import { currentLogger } from '#services/logging'
import outbound from '#services/outbound_service'
import realtime from '#services/realtime_service'

/**
 * Typing indicators, both ways, on the conversation's channel as `conversation.typing`
 * `{ conversationId, by: 'customer' | 'agent', on, userId?, name? }`. They are passing state: pushed to
 * whoever listens now, never stored (see realtime.broadcastTransient).
 */
export class TypingService {
  /** The channel says the customer is typing (or stopped) in their open conversation on this inbox. */
  async fromCustomer(inbox: Inbox, from: ContactAddress, on: boolean) {
    const identities = identitiesOf(from, inbox.pluginId)
    const conversation = await db
      .from('conversations')
      .join('contact_identities', 'contact_identities.contact_id', 'conversations.contact_id')
      .where('conversations.provider_id', inbox.providerId)
      .where('conversations.inbox_id', inbox.id)
      .whereNull('conversations.chat_id')
      .whereNot('conversations.status', 'resolved')
      .where('contact_identities.provider_id', inbox.providerId)
      .where((q) => {
        for (const identity of identities) q.orWhere({ 'contact_identities.kind': identity.kind, 'contact_identities.value': identity.value })
      })
      .orderBy('conversations.id', 'desc')
      .select('conversations.id')
      .first()
    if (!conversation) return
    const id = Number(conversation.id)
    realtime.broadcastTransient(channels.conversation(inbox.providerId, id), 'conversation.typing', { conversationId: id, by: 'customer', on })
  }

  /**
   * An agent is typing (or stopped): the other agents on the conversation see it and, where the channel
   * can show it, so does the customer. Best effort: a channel that fails is logged, never an error.
   */
  async fromAgent(conversation: Conversation, user: User, on: boolean) {
    realtime.broadcastTransient(channels.conversation(conversation.providerId, conversation.id), 'conversation.typing', {
      conversationId: conversation.id,
      by: 'agent',
      userId: user.id,
      name: user.name,
      on,
    })
    if (conversation.status === 'resolved') return
    try {
      const inbox = conversation.inbox ?? (await conversation.related('inbox').query().firstOrFail())
      const adapter = inboxes.adapterOf(inbox)
      if (!adapter.typing || !adapter.capabilities.typing) return
      await adapter.typing(await outbound.addressOf(conversation), on, inboxes.contextFor(inbox))
    } catch (error) {
      currentLogger().warn({ err: error, conversation_id: conversation.id }, 'typing: the channel refused the indicator')
    }
  }
}

const typing = new TypingService()
export default typing
