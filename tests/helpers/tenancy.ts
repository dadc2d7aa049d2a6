import { DateTime } from 'luxon'
import Membership, { type Role } from '#models/membership'
import type Provider from '#models/provider'
import User from '#models/user'
import { ProviderFactory } from '#database/factories/provider_factory'
import { UserFactory } from '#database/factories/user_factory'

export interface Member {
  provider: Provider
  user: User
  /** `Bearer nio_...`, ready for the Authorization header. */
  token: string
}

/** A user with a role in a provider (a new provider when none is given) and an API token. */
export async function createMember(provider: Provider | null, role: Role): Promise<Member> {
  const tenant = provider ?? (await ProviderFactory.create())
  const user = await UserFactory.create()
  await Membership.create({ providerId: tenant.id, userId: user.id, role })
  return { provider: tenant, user, token: await bearer(user) }
}

export async function createSuperadmin(): Promise<{ user: User; token: string }> {
  const user = await UserFactory.apply('superadmin').create()
  return { user, token: await bearer(user) }
}

export async function bearer(user: User) {
  const token = await User.accessTokens.create(user, ['*'], { name: 'test' })
  return `Bearer ${token.value!.release()}`
}

export async function suspend(provider: Provider) {
  provider.suspendedAt = DateTime.now()
  await provider.save()
}
