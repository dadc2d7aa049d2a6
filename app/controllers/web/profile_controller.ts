import type { HttpContext } from '@adonisjs/core/http'
import profiles from '#services/profile_service'
import { changePasswordValidator, switchProviderValidator, updateProfileValidator } from '#validators/profile'

/** Every user's own account: name, language, theme, notification sound, password; the provider in use. */
export default class ProfileController {
  async show({ inertia }: HttpContext) {
    return inertia.render('profile', {})
  }

  async update({ auth, request, response, session }: HttpContext) {
    const input = await request.validateUsing(updateProfileValidator)
    await profiles.update(auth.getUserOrFail(), input)
    session.flash('success', 'profile.saved')
    return response.redirect().back()
  }

  async password({ auth, request, response, session }: HttpContext) {
    const { currentPassword, password } = await request.validateUsing(changePasswordValidator)
    const changed = await profiles.changePassword(auth.getUserOrFail(), currentPassword, password)
    session.flash(changed ? 'success' : 'error', changed ? 'profile.passwordChanged' : 'profile.wrongPassword')
    return response.redirect().back()
  }

  /** The provider switcher: only providers the user belongs to are accepted. */
  async switchProvider({ auth, request, response, session }: HttpContext) {
    const { providerId } = await request.validateUsing(switchProviderValidator)
    if (await profiles.belongsTo(auth.getUserOrFail(), providerId)) session.put('providerId', providerId)
    return response.redirect('/')
  }
}
