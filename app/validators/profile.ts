import vine from '@vinejs/vine'

export const updateProfileValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  locale: vine.enum(['pt-BR', 'en']),
  theme: vine.enum(['light', 'dark', 'system']),
  notificationSound: vine.boolean(),
})

export const changePasswordValidator = vine.create({
  currentPassword: vine.string().minLength(1).maxLength(200),
  password: vine.string().minLength(8).maxLength(200).confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const switchProviderValidator = vine.create({
  providerId: vine.number().withoutDecimals().positive(),
})
