import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Provider from '#models/provider'
import Membership from '#models/membership'
import type User from '#models/user'
import audit from '#services/audit_service'
import inboxes from '#services/inbox_service'
import { presentProvider } from '#transformers/presenters'

export interface Actor {
  user: User
  ip?: string | null
}

/** Tenants: creation by the superadmin, the profile the AI quotes, suspension. */
export class ProviderService {
  async create(actor: Actor, data: { name: string; timezone?: string; locale?: string }) {
    return db.transaction(async (trx) => {
      const provider = await Provider.create(
        {
          name: data.name,
          timezone: data.timezone ?? 'America/Sao_Paulo',
          locale: data.locale ?? 'pt-BR',
          businessHours: {},
          plans: [],
          fees: [],
          documents: [],
          persona: {},
          settings: {},
        },
        { client: trx }
      )
      await audit.record(
        { providerId: provider.id, userId: actor.user.id, action: 'provider.created', targetType: 'provider', targetId: provider.id, after: { name: provider.name }, ip: actor.ip },
        trx
      )
      return provider
    })
  }

  /** Providers this user may open: all of them for the superadmin, else their memberships'. */
  async listFor(user: User) {
    const query = Provider.query().orderBy('name')
    if (!user.isSuperadmin) {
      query.whereIn('id', Membership.query().where('user_id', user.id).select('provider_id'))
    }
    return query
  }

  async update(actor: Actor, provider: Provider, changes: Partial<Provider>) {
    const before = presentProvider(provider)
    return db.transaction(async (trx) => {
      provider.useTransaction(trx)
      provider.merge(changes)
      await provider.save()
      const after = presentProvider(provider)
      await audit.record(
        {
          providerId: provider.id,
          userId: actor.user.id,
          action: 'provider.updated',
          targetType: 'provider',
          targetId: provider.id,
          ...changedFields(before, after),
          ip: actor.ip,
        },
        trx
      )
      trx.after('commit', () => inboxes.forgetProvider(provider.id))
      return provider
    })
  }

  async setSuspended(actor: Actor, provider: Provider, suspended: boolean) {
    if (provider.isSuspended === suspended) return provider
    return db.transaction(async (trx) => {
      provider.useTransaction(trx)
      provider.suspendedAt = suspended ? DateTime.now() : null
      await provider.save()
      await audit.record(
        { providerId: provider.id, userId: actor.user.id, action: suspended ? 'provider.suspended' : 'provider.unsuspended', targetType: 'provider', targetId: provider.id, ip: actor.ip },
        trx
      )
      trx.after('commit', () => inboxes.forgetProvider(provider.id))
      return provider
    })
  }
}

/** Before/after of only the fields that changed, for a readable audit trail. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  }
}

const providers = new ProviderService()
export default providers
