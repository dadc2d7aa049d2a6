import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type { TenantContext } from '#services/tenancy'

/** What a member may do with their provider (the tenant itself). */
export default class ProviderPolicy extends BasePolicy {
  create(user: User): AuthorizerResponse {
    return user.isSuperadmin
  }

  view(_user: User, tenant: TenantContext): AuthorizerResponse {
    return Boolean(tenant)
  }

  /** Profile, persona, business hours, settings. */
  update(_user: User, tenant: TenantContext): AuthorizerResponse {
    return tenant.hasRole('admin')
  }

  suspend(user: User): AuthorizerResponse {
    return user.isSuperadmin
  }
}
