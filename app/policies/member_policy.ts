import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type { TenantContext } from '#services/tenancy'

/** Every member sees who works in the provider; only admins add, change or remove people. */
export default class MemberPolicy extends BasePolicy {
  viewList(_user: User, tenant: TenantContext): AuthorizerResponse {
    return Boolean(tenant)
  }

  manage(_user: User, tenant: TenantContext): AuthorizerResponse {
    return tenant.hasRole('admin')
  }
}
