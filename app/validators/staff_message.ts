import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id } from '#validators/workflow_rules'

export const sendStaffMessageValidator = vine.create({
  recipientId: id(),
  content: vine.string().trim().minLength(1).maxLength(4000),
})

export const staffThreadValidator = vine.create({ with: id(), ...paginationSchema })
export const staffReadValidator = vine.create({ with: id() })
