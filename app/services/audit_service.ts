import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLog from '#models/audit_log'

export interface AuditEntry {
  providerId: number | null
  userId?: number | null
  actorKind?: 'user' | 'ai' | 'system'
  /** dotted verb, e.g. `member.added`, `conversation.transferred` */
  action: string
  targetType?: string
  targetId?: string | number
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  ip?: string | null
}

/** Who did what to which thing, and when: written for every state change and admin action. */
export class AuditService {
  async record(entry: AuditEntry, trx?: TransactionClientContract) {
    return AuditLog.create(
      {
        providerId: entry.providerId,
        userId: entry.userId ?? null,
        actorKind: entry.actorKind ?? (entry.userId ? 'user' : 'system'),
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId === undefined ? null : String(entry.targetId),
        before: entry.before ?? null,
        after: entry.after ?? null,
        ip: entry.ip ?? null,
      },
      { client: trx }
    )
  }
}

const audit = new AuditService()
export default audit
