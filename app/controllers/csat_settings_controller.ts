import type { HttpContext } from '@adonisjs/core/http'
import csat from '#services/csat_service'
import { csatSettingsValidator } from '#validators/csat'

export default class CsatSettingsController {
  /** `GET …/settings/csat`: the effective settings, defaults filled in (supervisors and admins). */
  async show({ tenant }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    return csat.settings(tenant.providerId)
  }

  /** `PUT …/settings/csat` (admins). */
  async update({ tenant, request }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(csatSettingsValidator)
    return csat.updateSettings({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, input)
  }
}
