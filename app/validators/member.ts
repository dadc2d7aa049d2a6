import vine from '@vinejs/vine'
import { ROLES } from '#models/membership'
import { paginationSchema } from '#services/pagination'

export const addMemberValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(8).maxLength(200).optional(),
  role: vine.enum(ROLES),
})

export const updateMemberValidator = vine.create({
  role: vine.enum(ROLES).optional(),
  name: vine.string().trim().minLength(1).maxLength(120).optional(),
})

export const listMembersValidator = vine.create({ ...paginationSchema })
