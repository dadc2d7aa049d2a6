import type { HttpContext } from '@adonisjs/core/http'

/** The agent app's pages; their data comes from the JSON API the pages call with the session. */
export default class AppController {
  async inbox({ inertia }: HttpContext) {
    return inertia.render('inbox', {})
  }
}
