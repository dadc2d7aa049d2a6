import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import Membership, { type Role } from '#models/membership'
import type Provider from '#models/provider'
import User from '#models/user'
import TeamMember from '#models/team_member'
import audit from '#services/audit_service'
import type { Actor } from '#services/provider_service'
import { pageById } from '#services/pagination'

export interface AddMemberInput {
  name: string
  email: string
  password?: string
  role: Role
}

/** Members of a provider: people with a role (admin, supervisor, agent) in it. */
export class MemberService {
  async list(provider: Provider, page: { cursor?: string; limit?: number }) {
    const query = Membership.query().where('provider_id', provider.id).preload('user')
    return pageById(query as any, page) as Promise<{ data: (Membership & { user: User })[]; nextCursor: string | null }>
  }

  async find(provider: Provider, userId: unknown) {
    const id = Number(userId)
    const membership = Number.isSafeInteger(id)
      ? await Membership.query().where({ providerId: provider.id, userId: id }).preload('user').first()
      : null
    if (!membership) throw ApiError.notFound('Member')
    return membership as Membership & { user: User }
  }

  /**
   * An e-mail that already has an account gets a membership; a new one gets an account with the given
   * password, or with an unusable random one and `invited: true` (they set theirs through "forgot
   * password").
   */
  async add(actor: Actor, provider: Provider, input: AddMemberInput) {
    const email = User.normalizeEmail(input.email)
    return db.transaction(async (trx) => {
      let user = await User.query({ client: trx }).whereRaw('lower(email) = ?', [email]).first()
      const invited = !user && !input.password
      if (!user) {
        user = await User.create(
          {
            name: input.name,
            email,
            password: input.password ?? randomBytes(24).toString('base64url'),
            isSuperadmin: false,
            locale: provider.locale ?? 'pt-BR',
            theme: 'system',
            notificationSound: true,
          },
          { client: trx }
        )
      }
      const existing = await Membership.query({ client: trx }).where({ providerId: provider.id, userId: user.id }).first()
      if (existing) throw new ApiError(422, 'This person is already a member of this provider', 'email', 'unique')

      const membership = await Membership.create({ providerId: provider.id, userId: user.id, role: input.role }, { client: trx })
      await audit.record(
        { providerId: provider.id, userId: actor.user.id, action: 'member.added', targetType: 'user', targetId: user.id, after: { email, role: input.role }, ip: actor.ip },
        trx
      )
      await membership.load('user')
      return { membership: membership as Membership & { user: User }, invited }
    })
  }

  async update(actor: Actor, provider: Provider, userId: unknown, changes: { role?: Role; name?: string }) {
    const membership = await this.find(provider, userId)
    return db.transaction(async (trx) => {
      const before = { role: membership.role, name: membership.user.name }
      if (changes.role && changes.role !== membership.role) {
        if (membership.role === 'admin') await this.#assertAnotherAdmin(provider, membership.userId, trx)
        membership.useTransaction(trx)
        membership.role = changes.role
        await membership.save()
      }
      if (changes.name && changes.name !== membership.user.name) {
        membership.user.useTransaction(trx)
        membership.user.name = changes.name
        await membership.user.save()
      }
      await audit.record(
        { providerId: provider.id, userId: actor.user.id, action: 'member.updated', targetType: 'user', targetId: membership.userId, before, after: { role: membership.role, name: membership.user.name }, ip: actor.ip },
        trx
      )
      return membership
    })
  }

  async remove(actor: Actor, provider: Provider, userId: unknown) {
    const membership = await this.find(provider, userId)
    await db.transaction(async (trx) => {
      if (membership.role === 'admin') await this.#assertAnotherAdmin(provider, membership.userId, trx)
      await TeamMember.query({ client: trx }).where({ providerId: provider.id, userId: membership.userId }).delete()
      await membership.useTransaction(trx).delete()
      // Conversations stay; the ones this person held go back to their queue.
      await trx
        .from('conversations')
        .where({ provider_id: provider.id, assignee_id: membership.userId })
        .whereNot('status', 'resolved')
        .update({ assignee_id: null, status: 'pending', updated_at: new Date() })
      await audit.record(
        { providerId: provider.id, userId: actor.user.id, action: 'member.removed', targetType: 'user', targetId: membership.userId, before: { email: membership.user.email, role: membership.role }, ip: actor.ip },
        trx
      )
    })
  }

  /** A provider always keeps at least one admin. */
  async #assertAnotherAdmin(provider: Provider, leavingUserId: number, trx: any) {
    const others = await Membership.query({ client: trx })
      .where({ providerId: provider.id, role: 'admin' })
      .whereNot('user_id', leavingUserId)
      .forUpdate()
    if (others.length === 0) throw new ApiError(422, 'A provider must keep at least one admin', 'role', 'last_admin')
  }
}

const members = new MemberService()
export default members
