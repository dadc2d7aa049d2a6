import type { HttpContext } from '@adonisjs/core/http'
import { webShell } from '#services/web_shell_service'

type Page = 'dashboard' | 'supervision' | 'settings/csat'

/**
 * Staff pages: the live dashboard, the supervision board and the CSAT settings. The data comes
 * from the JSON API (which checks roles again); an agent who opens one is sent back to the inbox.
 */
export default class InsightsPagesController {
  async dashboard(ctx: HttpContext) {
    return this.#render(ctx, 'dashboard', ['admin', 'supervisor'])
  }

  async supervision(ctx: HttpContext) {
    return this.#render(ctx, 'supervision', ['admin', 'supervisor'])
  }

  async csatSettings(ctx: HttpContext) {
    return this.#render(ctx, 'settings/csat', ['admin', 'supervisor'])
  }

  async #render(ctx: HttpContext, page: Page, roles: string[], props: Record<string, unknown> = {}, superadminOnly = false) {
    const shell = await webShell.forRequest(ctx)
    const role = shell.memberships.find((m) => m.providerId === shell.currentProviderId)?.role
    if (!shell.user?.isSuperadmin && (superadminOnly || !(role && roles.includes(role)))) {
      ctx.session.flash('error', 'forbidden')
      return ctx.response.redirect('/')
    }
    return ctx.inertia.render(page, { canEdit: Boolean(shell.user?.isSuperadmin || role === 'admin'), ...props } as any)
  }
}
