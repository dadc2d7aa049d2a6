import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'

/** Shortcuts are what agents type after "/": letters, digits, `-` and `_`. */
const shortcut = () =>
  vine
    .string()
    .trim()
    .regex(/^\/?[\p{L}\p{N}_-]{1,59}$/u)

export const createCannedResponseValidator = vine.create({
  shortcut: shortcut(),
  content: vine.string().trim().minLength(1).maxLength(4000),
})

export const updateCannedResponseValidator = vine.create({
  shortcut: shortcut().optional(),
  content: vine.string().trim().minLength(1).maxLength(4000).optional(),
})

export const listCannedResponsesValidator = vine.create({
  q: vine.string().trim().minLength(1).maxLength(60).optional(),
  ...paginationSchema,
})
