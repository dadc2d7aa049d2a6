import type { HttpContext } from '@adonisjs/core/http'
import type Inbox from '#models/inbox'
import inboxes from '#services/inbox_service'
import pluginConfig from '#services/plugin_config_service'
import type { TenantContext } from '#services/tenancy'
import { presentInbox } from '#transformers/inbox_presenter'
import { createInboxValidator, listInboxesValidator, updateInboxValidator } from '#validators/inbox'

/** Inboxes: every member lists them; admins create, configure, test, pair and delete them. */
export default class InboxesController {
  async index({ tenant, request }: HttpContext) {
    const page = await listInboxesValidator.validate(request.qs())
    const { data, nextCursor } = await inboxes.list(tenant.providerId, page)
    return { data: data.map((inbox) => this.#present(tenant, inbox)), meta: { nextCursor } }
  }

  async show({ tenant, params }: HttpContext) {
    return this.#present(tenant, await inboxes.find(tenant.providerId, params.id))
  }

  async store({ tenant, request, response }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(createInboxValidator)
    const { inbox, config, webhook } = await inboxes.create(this.#actor(tenant, request), tenant.providerId, input)
    return response.created(presentInbox(inbox, { maskedConfig: pluginConfig.mask(inbox.pluginId, config), webhook }))
  }

  async update({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(updateInboxValidator)
    const { inbox, config, webhook } = await inboxes.update(this.#actor(tenant, request), tenant.providerId, params.id, input)
    return presentInbox(inbox, { maskedConfig: pluginConfig.mask(inbox.pluginId, config), webhook })
  }

  async destroy({ tenant, request, params, response }: HttpContext) {
    tenant.requireRole('admin')
    await inboxes.remove(this.#actor(tenant, request), tenant.providerId, params.id)
    return response.noContent()
  }

  async test({ tenant, params }: HttpContext) {
    tenant.requireRole('admin')
    return inboxes.testConnection(tenant.providerId, params.id)
  }

  async connect({ tenant, params }: HttpContext) {
    tenant.requireRole('admin')
    return inboxes.connect(tenant.providerId, params.id)
  }

  async registerWebhook({ tenant, params }: HttpContext) {
    tenant.requireRole('admin')
    return inboxes.registerWebhook(await inboxes.find(tenant.providerId, params.id))
  }

  #present(tenant: TenantContext, inbox: Inbox) {
    if (!tenant.hasRole('admin')) return presentInbox(inbox)
    return presentInbox(inbox, { maskedConfig: pluginConfig.mask(inbox.pluginId, pluginConfig.open(inbox.config)) })
  }

  #actor(tenant: TenantContext, request: HttpContext['request']) {
    return { userId: tenant.user.id, ip: request.ip() }
  }
}
