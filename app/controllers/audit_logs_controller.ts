import type { HttpContext } from '@adonisjs/core/http'
import auditLogs from '#services/audit_log_query_service'
import { presentAuditLog } from '#transformers/workflow_presenters'
import { exportAuditLogsValidator, listAuditLogsValidator } from '#validators/audit_log'

/** The audit log, for admins: filtered pages and a CSV export of the same filter. */
export default class AuditLogsController {
  async index({ tenant, request }: HttpContext) {
    tenant.requireRole('admin')
    const filters = await listAuditLogsValidator.validate(request.qs())
    const { data, nextCursor } = await auditLogs.list(tenant.providerId, filters)
    return { data: data.map(presentAuditLog), meta: { nextCursor } }
  }

  async export({ tenant, request, response }: HttpContext) {
    tenant.requireRole('admin')
    const filters = await exportAuditLogsValidator.validate(request.qs())
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', `attachment; filename="audit-log-${tenant.providerId}.csv"`)
    response.stream(auditLogs.exportCsv(tenant.providerId, filters))
  }
}
