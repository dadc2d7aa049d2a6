import type { HttpContext } from '@adonisjs/core/http'
import auth from '#services/auth_service'
import { createTokenValidator } from '#validators/token'

/** API access tokens: exchange e-mail + password for a Bearer token; list and revoke mine. */
export default class TokensController {
  async store({ request }: HttpContext) {
    const { email, password, name } = await request.validateUsing(createTokenValidator)
    const user = await auth.verifyLogin(email, password)
    return auth.issueToken(user, name)
  }

  async index({ auth: session }: HttpContext) {
    return { data: await auth.listTokens(session.getUserOrFail()), meta: { nextCursor: null } }
  }

  async destroy({ auth: session, params, response }: HttpContext) {
    await auth.revokeToken(session.getUserOrFail(), params.id)
    return response.noContent()
  }
}
