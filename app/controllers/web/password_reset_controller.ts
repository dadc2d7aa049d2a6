import type { HttpContext } from '@adonisjs/core/http'
import passwordResets from '#services/password_reset_service'
import { forgotPasswordValidator, resetPasswordValidator } from '#validators/session'

export default class PasswordResetController {
  async create({ inertia }: HttpContext) {
    return inertia.render('auth/forgot_password', {})
  }

  /** Same answer whether or not the e-mail has an account. */
  async store({ request, response, session }: HttpContext) {
    const { email } = await request.validateUsing(forgotPasswordValidator)
    await passwordResets.request(email)
    session.flash('success', 'auth.resetSent')
    return response.redirect().back()
  }

  async edit({ inertia, params }: HttpContext) {
    return inertia.render('auth/reset_password', { token: params.token, usable: await passwordResets.isUsable(params.token) })
  }

  async update({ request, response, session, params }: HttpContext) {
    const { password } = await request.validateUsing(resetPasswordValidator)
    if (!(await passwordResets.reset(params.token, password))) {
      session.flash('error', 'auth.resetInvalid')
      return response.redirect().back()
    }
    session.flash('success', 'auth.resetDone')
    return response.redirect('/login')
  }
}
