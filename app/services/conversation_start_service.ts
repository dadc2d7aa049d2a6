import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import Inbox from '#models/inbox'
import plugins from '#plugins/main'
import audit from '#services/audit_service'
import { publishConversationEvent } from '#services/conversation_events'
import outbound from '#services/outbound_service'
import { canSeeConversation, type Viewer } from '#services/visibility_service'

export interface StartConversationInput {
  inboxId: number
  contactId?: number
  phone?: string
  content: string
}

/**
 * An agent writes first (`POST …/conversations`): to a phone number on a WhatsApp-like inbox, or to a
 * contact the inbox can reach (their phone there, or a customer who wrote to this inbox before). The
 * conversation opens assigned to the agent; a contact who already has an active conversation on that
 * inbox gets the message there instead of a second one.
 */
class ConversationStartService {
  async start(viewer: Viewer & { userName: string; ip?: string | null }, input: StartConversationInput) {
    const providerId = viewer.provider.id
    const inbox = await Inbox.query().where({ providerId, id: input.inboxId }).first()
    if (!inbox) throw new ApiError(422, 'The inbox does not exist in this provider', 'inboxId', 'exists')
    const adapter = plugins.channels.find(inbox.pluginId)
    if (!adapter) throw new ApiError(422, `The inbox's plugin "${inbox.pluginId}" is not installed`, 'inboxId', 'plugin')
    const byPhone = Boolean(adapter.capabilities.startsByPhone)

    const phone = input.phone?.replace(/\D/g, '')
    if (input.phone !== undefined && !byPhone) {
      throw new ApiError(422, 'This inbox cannot write first to a phone number; choose a contact who wrote to it before', 'phone', 'channel')
    }
    if (phone !== undefined && (phone.length < 10 || phone.length > 15)) {
      throw new ApiError(422, 'The phone number must have 10 to 15 digits, with the country code (like 5511988887777)', 'phone', 'phone')
    }

    const { conversation, created } = await db.transaction(async (trx) => {
      let contactId: number
      if (input.contactId) {
        const contact = await Contact.query({ client: trx }).where({ providerId, id: input.contactId }).whereNull('mergedIntoId').first()
        if (!contact) throw new ApiError(422, 'The contact does not exist in this provider', 'contactId', 'exists')
        const reachable =
          (byPhone && contact.phone) ||
          (await trx.from('conversations').where({ provider_id: providerId, inbox_id: inbox.id, contact_id: contact.id }).first())
        if (!reachable) throw new ApiError(422, 'This inbox cannot reach the contact: it has no phone here and never wrote to this inbox', 'contactId', 'reachable')
        contactId = contact.id
      } else {
        // One contact per phone, also under concurrent starts: the same lock key as the webhook ingest.
        await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtext(?))', [`${providerId}:whatsapp:${phone}`])
        const identity = await trx.from('contact_identities').where({ provider_id: providerId, kind: 'whatsapp', value: phone! }).first()
        if (identity) contactId = Number(identity.contact_id)
        else {
          const contact = await Contact.create({ providerId, phone: phone!, customAttributes: {}, lastActivityAt: DateTime.now() }, { client: trx })
          await trx.insertQuery().table('contact_identities').insert({ provider_id: providerId, contact_id: contact.id, kind: 'whatsapp', value: phone! })
          contactId = contact.id
        }
      }

      const active = await Conversation.query({ client: trx })
        .where({ providerId, inboxId: inbox.id, contactId })
        .whereNull('chatId')
        .whereNot('status', 'resolved')
        .forUpdate()
        .first()
      if (active) {
        if (!canSeeConversation(viewer, active)) throw new ApiError(409, 'This contact already has an active conversation on this inbox, handled by someone else')
        return { conversation: active, created: false }
      }
      const opened = await Conversation.create(
        { providerId, inboxId: inbox.id, contactId, status: 'open', assigneeId: viewer.userId, teamId: inbox.defaultTeamId, hadHuman: true, lastActivityAt: DateTime.now() },
        { client: trx }
      )
      await audit.record(
        { providerId, userId: viewer.userId, action: 'conversation.started', targetType: 'conversation', targetId: opened.id, after: { inboxId: inbox.id, contactId }, ip: viewer.ip ?? null },
        trx
      )
      await publishConversationEvent(opened, 'conversation.created', trx, { extra: { action: 'conversation.started', actorId: viewer.userId } })
      return { conversation: opened, created: true }
    })

    const message = await outbound.sendFromAgent({ userId: viewer.userId, name: viewer.userName }, conversation, { content: input.content })
    return { conversation: await Conversation.findOrFail(conversation.id), message, created }
  }
}

const conversationStart = new ConversationStartService()
export default conversationStart
