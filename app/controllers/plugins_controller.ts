import type { HttpContext } from '@adonisjs/core/http'
import plugins from '#plugins/main'
import { listPluginsValidator } from '#validators/inbox'

/** The catalogue of installed plugins with their config schemas, for the admin UI's generated forms. */
export default class PluginsController {
  async index({ request }: HttpContext) {
    const { kind } = await listPluginsValidator.validate(request.qs())
    return { data: plugins.catalogue(kind), meta: { nextCursor: null } }
  }
}
