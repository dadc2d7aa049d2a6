import type { HttpContext } from '@adonisjs/core/http'
import { errors as authErrors } from '@adonisjs/auth'
import ApiError from '#exceptions/api_error'
import auth from '#services/auth_service'
import { loginValidator } from '#validators/session'

/** The web login: e-mail + password → session cookie. Errors come back as keys the page translates. */
export default class SessionController {
  async create({ inertia }: HttpContext) {
    return inertia.render('auth/login', {})
  }

  async store({ request, response, session, auth: guard }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    try {
      const user = await auth.verifyLogin(email, password)
      await guard.use('web').login(user)
    } catch (error) {
      if (error instanceof authErrors.E_INVALID_CREDENTIALS) session.flash('error', 'auth.invalidCredentials')
      else if (error instanceof ApiError && error.status === 403) session.flash('error', 'auth.suspended')
      else throw error
      session.flashOnly(['email'])
      return response.redirect().back()
    }
    return response.redirect('/')
  }

  async destroy({ auth: guard, response, session }: HttpContext) {
    await guard.use('web').logout()
    session.forget('providerId')
    return response.redirect('/login')
  }
}
