import { stringify, type Stringifier } from 'csv-stringify'
import AuditLog from '#models/audit_log'
import { pageById } from '#services/pagination'

export interface AuditLogFilters {
  /** Exact action (`conversation.resolved`) or a prefix ending in `.` (`conversation.`). */
  action?: string
  userId?: number
  actorKind?: 'user' | 'ai' | 'system'
  targetType?: string
  targetId?: string
  from?: Date
  to?: Date
}

const CSV_COLUMNS = ['id', 'createdAt', 'actorKind', 'userId', 'userEmail', 'action', 'targetType', 'targetId', 'ip', 'before', 'after']
const EXPORT_BATCH = 1000

/** Reading the audit log of a provider: filtered pages, and the same filter as a CSV download. */
export class AuditLogQueryService {
  /** Columns are qualified: the CSV export joins users, which has a created_at too. */
  #query(providerId: number, filters: AuditLogFilters) {
    const query = AuditLog.query().where('audit_logs.provider_id', providerId)
    if (filters.action?.endsWith('.')) query.whereLike('audit_logs.action', `${filters.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    else if (filters.action) query.where('audit_logs.action', filters.action)
    if (filters.userId) query.where('audit_logs.user_id', filters.userId)
    if (filters.actorKind) query.where('audit_logs.actor_kind', filters.actorKind)
    if (filters.targetType) query.where('audit_logs.target_type', filters.targetType)
    if (filters.targetId) query.where('audit_logs.target_id', filters.targetId)
    if (filters.from) query.where('audit_logs.created_at', '>=', filters.from)
    if (filters.to) query.where('audit_logs.created_at', '<', filters.to)
    return query
  }

  /** Newest first. */
  async list(providerId: number, filters: AuditLogFilters & { cursor?: string; limit?: number }) {
    const result = await pageById<AuditLog>(this.#query(providerId, filters) as any, {
      cursor: filters.cursor,
      limit: filters.limit,
      direction: 'desc',
    })
    return { data: result.data, nextCursor: result.nextCursor }
  }

  /**
   * Every matching entry as CSV (newest first), produced in batches so a large log never sits in
   * memory at once. JSON columns are written as JSON text.
   */
  exportCsv(providerId: number, filters: AuditLogFilters): Stringifier {
    const csv = stringify({ header: true, columns: CSV_COLUMNS })
    const produce = async () => {
      let beforeId: number | null = null
      while (true) {
        const query = this.#query(providerId, filters)
          .leftJoin('users', 'users.id', 'audit_logs.user_id')
          .select('audit_logs.*', 'users.email as user_email')
          .orderBy('audit_logs.id', 'desc')
          .limit(EXPORT_BATCH)
        if (beforeId !== null) query.where('audit_logs.id', '<', beforeId)
        const rows = await query
        for (const log of rows) {
          const ok = csv.write({
            id: log.id,
            createdAt: log.createdAt?.toISO(),
            actorKind: log.actorKind,
            userId: log.userId ?? '',
            userEmail: log.$extras.user_email ?? '',
            action: log.action,
            targetType: log.targetType ?? '',
            targetId: log.targetId ?? '',
            ip: log.ip ?? '',
            before: log.before ? JSON.stringify(log.before) : '',
            after: log.after ? JSON.stringify(log.after) : '',
          })
          if (!ok) await new Promise((resolve) => csv.once('drain', resolve))
        }
        if (rows.length < EXPORT_BATCH) break
        beforeId = rows[rows.length - 1].id
      }
      csv.end()
    }
    produce().catch((error) => csv.destroy(error))
    return csv
  }
}

const auditLogs = new AuditLogQueryService()
export default auditLogs
