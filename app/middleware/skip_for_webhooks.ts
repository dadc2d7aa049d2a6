import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

interface Middleware {
  handle(ctx: HttpContext, next: NextFn): unknown
}

/**
 * Wraps a router middleware so channel webhooks skip it. AdonisJS applies router middleware to every
 * route; a provider posting a webhook has no session and must not be handed cookies (signing and
 * encrypting them on every webhook was about a tenth of the ingest CPU).
 */
export function skippingWebhooks(middleware: abstract new (...args: any[]) => Middleware) {
  return class {
    async handle(ctx: HttpContext, next: NextFn) {
      if (ctx.route?.pattern.startsWith('/webhooks/')) return next()
      const instance = await ctx.containerResolver.make(middleware as any)
      return (instance as Middleware).handle(ctx, next)
    }
  }
}
