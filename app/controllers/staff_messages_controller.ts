import type { HttpContext } from '@adonisjs/core/http'
import staffChat from '#services/staff_chat_service'
import { presentStaffMessage } from '#transformers/workflow_presenters'
import { sendStaffMessageValidator, staffReadValidator, staffThreadValidator } from '#validators/staff_message'

/** Direct messages between members of the provider. */
export default class StaffMessagesController {
  /** `GET …/staff-messages?with=<userId>`: my thread with that member, newest first. */
  async index({ tenant, request }: HttpContext) {
    const { with: otherId, ...page } = await staffThreadValidator.validate(request.qs())
    const { data, nextCursor } = await staffChat.thread(tenant.providerId, tenant.user.id, otherId, page)
    return { data: data.map(presentStaffMessage), meta: { nextCursor } }
  }

  async store({ tenant, request, response }: HttpContext) {
    const { recipientId, content } = await request.validateUsing(sendStaffMessageValidator)
    const message = await staffChat.send(tenant.providerId, tenant.user.id, recipientId, content)
    return response.created(presentStaffMessage(message))
  }

  async unread({ tenant }: HttpContext) {
    return staffChat.unreadCounts(tenant.providerId, tenant.user.id)
  }

  async read({ tenant, request }: HttpContext) {
    const { with: otherId } = await request.validateUsing(staffReadValidator)
    return staffChat.markRead(tenant.providerId, tenant.user.id, otherId)
  }
}
