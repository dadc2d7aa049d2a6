import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { resolveTenant, type TenantContext } from '#services/tenancy'

/** Resolves `ctx.tenant` for routes under /api/v1/providers/:providerId and tags the request's logs. */
export default class TenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.getUserOrFail()
    ctx.tenant = await resolveTenant(user, ctx.params.providerId)
    ctx.logger = ctx.logger.child({ provider_id: ctx.tenant.providerId, user_id: user.id })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    tenant: TenantContext
  }
}
