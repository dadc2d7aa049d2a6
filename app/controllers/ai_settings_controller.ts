import type { HttpContext } from '@adonisjs/core/http'
import aiSettings from '#services/ai_settings_service'
import { aiSettingsValidator, ispSettingsValidator } from '#validators/settings'

/** `…/settings/ai` and `…/settings/isp`: read by supervisors, changed and tested by admins. */
export default class AiSettingsController {
  async showAi({ tenant }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    return aiSettings.showAi(tenant.provider)
  }

  async updateAi({ tenant, request }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(aiSettingsValidator)
    return aiSettings.updateAi({ userId: tenant.user.id, ip: request.ip() }, tenant.provider, input as any)
  }

  /** `GET …/settings/ai/prompt-preview`: the system prompt built from the saved profile and persona. */
  async promptPreview({ tenant }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    return aiSettings.promptPreview(tenant.provider)
  }

  async testAi({ tenant }: HttpContext) {
    tenant.requireRole('admin')
    return aiSettings.test(tenant.providerId, 'ai')
  }

  async showIsp({ tenant }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    return aiSettings.showIsp(tenant.providerId)
  }

  async updateIsp({ tenant, request }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(ispSettingsValidator)
    return aiSettings.updateIsp({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, input as any)
  }

  async testIsp({ tenant }: HttpContext) {
    tenant.requireRole('admin')
    return aiSettings.test(tenant.providerId, 'isp')
  }
}
