import type { HttpContext } from '@adonisjs/core/http'
import { webShell } from '#services/web_shell_service'

/** Administration sections, each an Inertia page `admin/<file>`. */
const SECTIONS: Record<string, string> = {
  'inboxes': 'admin/inboxes',
  'members': 'admin/members',
  'teams': 'admin/teams',
  'canned-responses': 'admin/canned_responses',
  'profile': 'admin/profile',
  'integrations': 'admin/integrations',
  'handover': 'admin/handover',
  'audit': 'admin/audit',
}

/**
 * The administration pages: a provider's admins (and the superadmin) see its sections; only the
 * superadmin sees the providers list. The data comes from the JSON API, which checks roles again;
 * anyone else who opens one is sent back to the inbox with a notice.
 */
export default class AdminPagesController {
  async index({ response }: HttpContext) {
    return response.redirect('/admin/inboxes')
  }

  async section(ctx: HttpContext) {
    const page = SECTIONS[String(ctx.params.section)]
    if (!page) return ctx.response.notFound('Not found')
    const shell = await webShell.forRequest(ctx)
    const role = shell.memberships.find((m) => m.providerId === shell.currentProviderId)?.role
    if (!shell.user?.isSuperadmin && role !== 'admin') return this.#refuse(ctx)
    // A superadmin who belongs to no provider has no provider sections to open.
    if (!shell.currentProviderId) return ctx.response.redirect('/admin/providers')
    return ctx.inertia.render(page as any, {})
  }

  async providers(ctx: HttpContext) {
    const shell = await webShell.forRequest(ctx)
    if (!shell.user?.isSuperadmin) return this.#refuse(ctx)
    return ctx.inertia.render('admin/providers' as any, {})
  }

  #refuse(ctx: HttpContext) {
    ctx.session.flash('error', 'forbidden')
    return ctx.response.redirect('/')
  }
}
