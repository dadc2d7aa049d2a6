import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id, isoDateTime } from '#validators/workflow_rules'

const filters = {
  action: vine.string().trim().regex(/^[a-z_]+(\.[a-z_]+)*\.?$/).maxLength(80).optional(),
  userId: id().optional(),
  actorKind: vine.enum(['user', 'ai', 'system'] as const).optional(),
  targetType: vine.string().trim().regex(/^[a-z_]{1,40}$/).optional(),
  targetId: vine.string().trim().maxLength(40).optional(),
  from: isoDateTime().optional(),
  to: isoDateTime().optional(),
}

export const listAuditLogsValidator = vine.create({ ...filters, ...paginationSchema })
export const exportAuditLogsValidator = vine.create(filters)
