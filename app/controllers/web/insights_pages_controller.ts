import type { HttpContext } from '@adonisjs/core/http'
import Provider from '#models/provider'
import { webShell } from '#services/web_shell_service'

type Page = 'dashboard' | 'supervision' | 'settings/csat'
const STAFF = ['admin', 'supervisor']

/**
 * Staff pages: the live dashboard, the supervision board and the CSAT settings. The data comes
 * from the JSON API (which checks roles again); an agent who opens one is sent back to the inbox.
 */
export default class InsightsPagesController {
  async dashboard(ctx: HttpContext) {
    return this.#render(ctx, 'dashboard')
  }

  async supervision(ctx: HttpContext) {
    return this.#render(ctx, 'supervision')
  }

  async csatSettings(ctx: HttpContext) {
    return this.#render(ctx, 'settings/csat')
  }

  async #render(ctx: HttpContext, page: Page) {
    const shell = await webShell.forRequest(ctx)
    const role = shell.memberships.find((m) => m.providerId === shell.currentProviderId)?.role
    if (!shell.user?.isSuperadmin && !(role && STAFF.includes(role))) {
      ctx.session.flash('error', 'forbidden')
      return ctx.response.redirect('/')
    }
    // The provider's timezone lets the page name "today" as the metrics API counts it.
    const provider = shell.currentProviderId ? await Provider.find(shell.currentProviderId) : null
    return ctx.inertia.render(page, {
      canEdit: Boolean(shell.user?.isSuperadmin || role === 'admin'),
      timezone: provider?.timezone || 'UTC',
    } as any)
  }
}
