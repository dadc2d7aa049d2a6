import vine from '@vinejs/vine'

export const createTokenValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(200),
  name: vine.string().trim().maxLength(100).optional(),
})
