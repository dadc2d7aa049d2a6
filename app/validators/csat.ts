import vine from '@vinejs/vine'

const text = () => vine.string().trim().minLength(1).maxLength(1000).optional()
const localeTexts = () => vine.object({ question: text(), thanks: text(), followUp: text() }).optional()

/** `PUT …/settings/csat`: every field optional; what is left out keeps its current value. */
export const csatSettingsValidator = vine.create({
  enabled: vine.boolean().optional(),
  delaySeconds: vine.number().withoutDecimals().range([0, 86_400]).optional(),
  answerWindowHours: vine.number().withoutDecimals().range([1, 168]).optional(),
  followUpEnabled: vine.boolean().optional(),
  inactivityMinutes: vine.number().withoutDecimals().range([0, 10_080]).optional(),
  texts: vine.object({ 'pt-BR': localeTexts(), 'en': localeTexts() }).optional(),
})
