import type { HttpContext } from '@adonisjs/core/http'
import Membership from '#models/membership'
import { presentUser } from '#transformers/presenters'

export default class MeController {
  /** Who I am and where I work: the first call of any client. */
  async show({ auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const memberships = await Membership.query().where('user_id', user.id).preload('provider')
    return {
      ...presentUser(user),
      memberships: memberships.map((membership) => ({
        providerId: membership.providerId,
        providerName: membership.provider.name,
        role: membership.role,
        suspended: membership.provider.isSuspended,
      })),
    }
  }
}
