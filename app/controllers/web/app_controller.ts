import type { HttpContext } from '@adonisjs/core/http'
import plugins from '#plugins/main'

/** The agent app's pages; their data comes from the JSON API the pages call with the session. */
export default class AppController {
  async inbox({ inertia }: HttpContext) {
    return inertia.render('inbox', {})
  }

  /** Direct messages between the provider's members. */
  async chat({ inertia }: HttpContext) {
    return inertia.render('chat', {})
  }

  /** The customer simulator (admins; the page explains when the plugin is off). */
  async simulator({ inertia }: HttpContext) {
    return inertia.render('simulator', { enabled: plugins.channels.has('simulator') })
  }
}
