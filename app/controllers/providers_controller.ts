import type { HttpContext } from '@adonisjs/core/http'
import ProviderPolicy from '#policies/provider_policy'
import providers from '#services/provider_service'
import { presentProvider } from '#transformers/presenters'
import { createProviderValidator, updateProviderValidator } from '#validators/provider'

export default class ProvidersController {
  /** The providers I can open (all of them for the superadmin). */
  async index({ auth }: HttpContext) {
    const list = await providers.listFor(auth.getUserOrFail())
    return { data: list.map(presentProvider), meta: { nextCursor: null } }
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const user = auth.getUserOrFail()
    await bouncer.with(ProviderPolicy).authorize('create')
    const data = await request.validateUsing(createProviderValidator)
    const provider = await providers.create({ user, ip: request.ip() }, data)
    return response.created(presentProvider(provider))
  }

  async show({ tenant }: HttpContext) {
    return presentProvider(tenant.provider)
  }

  async update({ tenant, bouncer, request }: HttpContext) {
    await bouncer.with(ProviderPolicy).authorize('update', tenant)
    const changes = await request.validateUsing(updateProviderValidator)
    const provider = await providers.update({ user: tenant.user, ip: request.ip() }, tenant.provider, changes as any)
    return presentProvider(provider)
  }

  async suspend(ctx: HttpContext) {
    return this.#setSuspended(ctx, true)
  }

  async unsuspend(ctx: HttpContext) {
    return this.#setSuspended(ctx, false)
  }

  async #setSuspended({ tenant, bouncer, request }: HttpContext, suspended: boolean) {
    await bouncer.with(ProviderPolicy).authorize('suspend')
    const provider = await providers.setSuspended({ user: tenant.user, ip: request.ip() }, tenant.provider, suspended)
    return presentProvider(provider)
  }
}
