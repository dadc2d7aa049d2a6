import hash from '@adonisjs/core/services/hash'
import Membership from '#models/membership'
import type User from '#models/user'
import audit from '#services/audit_service'

export class ProfileService {
  async update(user: User, input: { name: string; locale: string; theme: string; notificationSound: boolean }) {
    user.merge(input)
    await user.save()
    return user
  }

  /** Needs the current password; false when it is wrong. */
  async changePassword(user: User, currentPassword: string, password: string) {
    if (!(await hash.verify(user.password, currentPassword))) return false
    user.password = password
    await user.save()
    await audit.record({ providerId: null, userId: user.id, action: 'user.password_changed', targetType: 'user', targetId: user.id })
    return true
  }

  async belongsTo(user: User, providerId: number) {
    if (user.isSuperadmin) return true
    return Boolean(await Membership.query().where({ userId: user.id, providerId }).first())
  }
}

const profiles = new ProfileService()
export default profiles
