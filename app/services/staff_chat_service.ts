import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import Membership from '#models/membership'
import StaffMessage from '#models/staff_message'
import { channels } from '#realtime/channels'
import realtime from '#services/realtime_service'
import { pageById } from '#services/pagination'
import { presentStaffMessage } from '#transformers/workflow_presenters'

/**
 * Direct messages between members of one provider. Each message is pushed to the recipient's user
 * channel (and the sender's, for their other tabs) with the recipient's new unread count.
 */
export class StaffChatService {
  async send(providerId: number, senderId: number, recipientId: number, content: string) {
    if (recipientId === senderId) throw new ApiError(422, 'You cannot send a message to yourself', 'recipientId', 'different')
    return db.transaction(async (trx) => {
      const recipient = await Membership.query({ client: trx }).where({ providerId, userId: recipientId }).first()
      if (!recipient) throw new ApiError(422, 'The recipient is not a member of this provider', 'recipientId', 'exists')
      const message = await StaffMessage.create({ providerId, senderId, recipientId, content }, { client: trx })
      const unread = await this.#unreadFrom(providerId, recipientId, senderId, trx)
      const payload = { ...presentStaffMessage(message), providerId, unreadFromSender: unread }
      await realtime.publish({ providerId, audience: [channels.user(recipientId), channels.user(senderId)], event: 'staff.message', payload }, trx)
      return message
    })
  }

  /** The thread between the viewer and another member, newest first. */
  async thread(providerId: number, viewerId: number, otherId: number, page: { cursor?: string; limit?: number }) {
    const query = StaffMessage.query()
      .where('provider_id', providerId)
      .where((pair) => {
        pair
          .where((q) => q.where('sender_id', viewerId).where('recipient_id', otherId))
          .orWhere((q) => q.where('sender_id', otherId).where('recipient_id', viewerId))
      })
    const result = await pageById<StaffMessage>(query as any, { ...page, direction: 'desc' })
    return { data: result.data, nextCursor: result.nextCursor }
  }

  /** Unread messages per sender for the viewer, and the total. */
  async unreadCounts(providerId: number, viewerId: number) {
    const rows: { sender_id: number; count: string }[] = await db
      .from('staff_messages')
      .where({ provider_id: providerId, recipient_id: viewerId })
      .whereNull('read_at')
      .groupBy('sender_id')
      .orderBy('sender_id')
      .select('sender_id')
      .count('* as count')
    const bySender = rows.map((row) => ({ userId: Number(row.sender_id), count: Number(row.count) }))
    return { total: bySender.reduce((sum, row) => sum + row.count, 0), bySender }
  }

  /** Marks everything `otherId` sent to the viewer as read; tells the viewer's other tabs. */
  async markRead(providerId: number, viewerId: number, otherId: number) {
    return db.transaction(async (trx) => {
      const result = await trx
        .from('staff_messages')
        .where({ provider_id: providerId, recipient_id: viewerId, sender_id: otherId })
        .whereNull('read_at')
        .update({ read_at: DateTime.now().toJSDate() })
      const marked = Number(Array.isArray(result) ? result[0] : result) || 0
      if (marked) {
        await realtime.publish(
          { providerId, audience: channels.user(viewerId), event: 'staff.read', payload: { providerId, userId: otherId, marked } },
          trx
        )
        await realtime.publish(
          { providerId, audience: channels.user(otherId), event: 'staff.read_by_recipient', payload: { providerId, userId: viewerId } },
          trx
        )
      }
      return { marked }
    })
  }

  async #unreadFrom(providerId: number, recipientId: number, senderId: number, trx: any) {
    const row = await trx
      .from('staff_messages')
      .where({ provider_id: providerId, recipient_id: recipientId, sender_id: senderId })
      .whereNull('read_at')
      .count('* as count')
      .first()
    return Number(row?.count ?? 0)
  }
}

const staffChat = new StaffChatService()
export default staffChat
