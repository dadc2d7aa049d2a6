import type { HttpContext } from '@adonisjs/core/http'
import metrics from '#services/metrics_service'
import { metricsQueryValidator } from '#validators/metrics'

export default class MetricsController {
  /** `GET …/metrics`: the dashboard figures (supervisors and admins). */
  async index({ tenant, request }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    const filters = await metricsQueryValidator.validate(request.qs())
    const scope = metrics.scope(tenant.provider, filters)
    await metrics.checkFilters(scope)
    return metrics.overview(scope)
  }
}
