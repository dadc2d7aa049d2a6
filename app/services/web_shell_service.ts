import type { HttpContext } from '@adonisjs/core/http'
import i18nManager from '@adonisjs/i18n/services/main'
import Membership from '#models/membership'
import { presentUser } from '#transformers/presenters'

export const SUPPORTED_LOCALES = ['pt-BR', 'en'] as const
export type WebLocale = (typeof SUPPORTED_LOCALES)[number]

/**
 * What the web app's frame needs on every page: who is signed in, in which language, and which of
 * their providers is open (kept in the session; the first membership by default).
 */
export class WebShellService {
  async forRequest(ctx: HttpContext) {
    const user = ctx.auth?.user ?? null
    const locale = (user?.locale as WebLocale) ?? this.localeFromHeader(ctx)
    if (!user) return { user: null, locale, memberships: [], currentProviderId: null }

    const memberships = await Membership.query().where('user_id', user.id).preload('provider').orderBy('id')
    const list = memberships
      .filter((membership) => !membership.provider.isSuspended)
      .map((membership) => ({ providerId: membership.providerId, providerName: membership.provider.name, role: membership.role }))
    const stored = Number(ctx.session?.get('providerId'))
    const currentProviderId = list.some((m) => m.providerId === stored) ? stored : (list[0]?.providerId ?? null)
    return { user: presentUser(user), locale, memberships: list, currentProviderId }
  }

  localeFromHeader(ctx: HttpContext): WebLocale {
    const found = i18nManager.getSupportedLocaleFor(ctx.request.languages())
    return found === 'en' ? 'en' : 'pt-BR'
  }
}

export const webShell = new WebShellService()
