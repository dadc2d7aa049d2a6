import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id } from '#validators/workflow_rules'

const fields = {
  description: vine.string().trim().maxLength(1000).nullable().optional(),
  autoAssign: vine.boolean().optional(),
  maxOpenPerAgent: vine.number().withoutDecimals().range([0, 1000]).optional(),
  memberIds: vine.array(id()).maxLength(500).optional(),
}

export const createTeamValidator = vine.create({ name: vine.string().trim().minLength(1).maxLength(120), ...fields })
export const updateTeamValidator = vine.create({ name: vine.string().trim().minLength(1).maxLength(120).optional(), ...fields })
export const teamMemberValidator = vine.create({ userId: id() })
export const listTeamsValidator = vine.create({ ...paginationSchema })
