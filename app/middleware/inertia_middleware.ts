import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BaseInertiaMiddleware from '@adonisjs/inertia/inertia_middleware'
import { webShell } from '#services/web_shell_service'
import plugins from '#plugins/main'

/**
 * Props every page receives: the signed-in user (presented, never the model), their providers and
 * the one in use, the locale and theme, validation errors and flash messages. A page can be rendered
 * before the session or auth middleware ran (a 404), so nothing here may assume they did.
 */
export default class InertiaMiddleware extends BaseInertiaMiddleware {
  async share(ctx: HttpContext) {
    const { session, auth } = ctx as Partial<HttpContext>
    const shell = await webShell.forRequest(ctx)
    ctx.view?.share({ locale: shell.locale, theme: shell.user?.theme ?? 'system', js: { stringify: JSON.stringify } })
    return {
      errors: ctx.inertia.always(this.getValidationErrors(ctx)),
      flash: ctx.inertia.always({
        success: session?.flashMessages.get('success') as string | undefined,
        error: session?.flashMessages.get('error') as string | undefined,
      }),
      locale: ctx.inertia.always(shell.locale),
      user: ctx.inertia.always(auth?.user ? shell.user : null),
      memberships: ctx.inertia.always(shell.memberships),
      currentProviderId: ctx.inertia.always(shell.currentProviderId),
      features: ctx.inertia.always({ simulator: plugins.channels.has('simulator') }),
    }
  }

  async handle(ctx: HttpContext, next: NextFn) {
    await this.init(ctx)
    const output = await next()
    this.dispose(ctx)
    return output
  }
}
