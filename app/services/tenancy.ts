import type { LucidModel } from '@adonisjs/lucid/types/model'
import ApiError from '#exceptions/api_error'
import Membership, { type Role } from '#models/membership'
import Provider from '#models/provider'
import type User from '#models/user'

/** Who is acting on which provider, resolved once per request by the tenant middleware. */
export class TenantContext {
  constructor(
    readonly provider: Provider,
    readonly user: User,
    /** A superadmin acts as an admin on every provider. */
    readonly role: Role,
    readonly isSuperadmin: boolean
  ) {}

  get providerId() {
    return this.provider.id
  }

  hasRole(...roles: Role[]) {
    return roles.includes(this.role)
  }

  /** 403 unless the member has one of these roles. */
  requireRole(...roles: Role[]) {
    if (!this.hasRole(...roles)) throw ApiError.forbidden()
  }
}

/**
 * Membership check for `/api/v1/providers/:providerId/...`: a provider the user does not belong to
 * answers 404 exactly like one that does not exist, so ids of other tenants reveal nothing.
 */
export async function resolveTenant(user: User, providerIdParam: unknown): Promise<TenantContext> {
  const providerId = Number(providerIdParam)
  if (!Number.isSafeInteger(providerId) || providerId <= 0) throw ApiError.notFound('Provider')

  const provider = await Provider.find(providerId)
  if (!provider) throw ApiError.notFound('Provider')
  if (user.isSuperadmin) return new TenantContext(provider, user, 'admin', true)

  const membership = await Membership.query().where({ providerId, userId: user.id }).first()
  if (!membership) throw ApiError.notFound('Provider')
  if (provider.isSuspended) throw new ApiError(403, 'This provider is suspended')
  return new TenantContext(provider, user, membership.role, false)
}

/**
 * Loads a tenant-owned row by id, scoped to the provider: 404 when it does not exist or belongs to
 * another provider. Every tenant table has provider_id, so this one helper serves them all.
 */
export async function findOwned<T extends LucidModel>(
  model: T,
  providerId: number,
  id: unknown,
  what = 'Resource'
): Promise<InstanceType<T>> {
  const numericId = Number(id)
  if (!Number.isSafeInteger(numericId) || numericId <= 0) throw ApiError.notFound(what)
  const row = await model.query().where('provider_id', providerId).where('id', numericId).first()
  if (!row) throw ApiError.notFound(what)
  return row as InstanceType<T>
}
