import type { HttpContext } from '@adonisjs/core/http'
import metrics from '#services/metrics_service'
import { metricsQueryValidator } from '#validators/metrics'

export default class CsatController {
  /** `GET …/csat`: CSAT summary, daily trend and latest answers (supervisors and admins). */
  async index({ tenant, request }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    const filters = await metricsQueryValidator.validate(request.qs())
    const scope = metrics.scope(tenant.provider, filters)
    await metrics.checkFilters(scope)
    return metrics.csatReport(scope)
  }
}
