import type { HttpContext } from '@adonisjs/core/http'
import handoverSettings from '#services/handover_settings_service'
import { handoverSettingsValidator } from '#validators/settings'

export default class HandoverSettingsController {
  /** `GET …/settings/handover` (supervisors and admins). */
  async show({ tenant }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    return handoverSettings.get(tenant.providerId)
  }

  /** `PUT …/settings/handover {teams: {technical, financial, sales, general}, defaultTeamId}` (admins). */
  async update({ tenant, request }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(handoverSettingsValidator)
    return handoverSettings.update({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, input as any)
  }
}
