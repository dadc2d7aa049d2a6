import type { HttpContext } from '@adonisjs/core/http'
import presence from '#services/presence_service'
import { heartbeatValidator } from '#validators/presence'

/** Who is online: the list, and my heartbeat (`{status: online | away | offline}`). */
export default class PresenceController {
  async index({ tenant }: HttpContext) {
    return { data: await presence.list(tenant.providerId), meta: { nextCursor: null } }
  }

  async heartbeat({ tenant, request }: HttpContext) {
    const { status } = await request.validateUsing(heartbeatValidator)
    await presence.heartbeat(tenant.providerId, tenant.user.id, status)
    return { userId: tenant.user.id, status }
  }
}
