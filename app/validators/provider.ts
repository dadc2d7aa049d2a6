import vine from '@vinejs/vine'
import { isValidCnpj } from '@brazilian-utils/brazilian-utils'

const time = () => vine.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)
const dayHours = () => vine.array(vine.object({ from: time(), to: time() })).maxLength(4)

const isTimezone = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') return
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
  } catch {
    field.report('The {{ field }} field must be an IANA time zone such as America/Sao_Paulo', 'timezone', field)
  }
})

const isCnpj = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !isValidCnpj(value)) {
    field.report('The {{ field }} field must be a valid CNPJ', 'cnpj', field)
  }
})

export const createProviderValidator = vine.create({
  name: vine.string().trim().minLength(2).maxLength(160),
  timezone: vine.string().trim().use(isTimezone()).optional(),
  locale: vine.enum(['pt-BR', 'en']).optional(),
})

/** The provider profile: company data the AI quotes, business hours, plans, fees and persona. */
export const updateProviderValidator = vine.create({
  name: vine.string().trim().minLength(2).maxLength(160).optional(),
  legalName: vine.string().trim().maxLength(200).nullable().optional(),
  document: vine.string().trim().use(isCnpj()).nullable().optional(),
  site: vine.string().trim().url({ require_protocol: true }).maxLength(300).nullable().optional(),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  phone: vine.string().trim().maxLength(40).nullable().optional(),
  address: vine.string().trim().maxLength(1000).nullable().optional(),
  timezone: vine.string().trim().use(isTimezone()).optional(),
  locale: vine.enum(['pt-BR', 'en']).optional(),
  businessHours: vine
    .object({
      mon: dayHours().optional(),
      tue: dayHours().optional(),
      wed: dayHours().optional(),
      thu: dayHours().optional(),
      fri: dayHours().optional(),
      sat: dayHours().optional(),
      sun: dayHours().optional(),
    })
    .optional(),
  plans: vine
    .array(
      vine.object({
        name: vine.string().trim().minLength(1).maxLength(120),
        speed: vine.string().trim().maxLength(60).optional(),
        price: vine.number().min(0).optional(),
        description: vine.string().trim().maxLength(500).optional(),
      })
    )
    .maxLength(50)
    .optional(),
  fees: vine
    .array(
      vine.object({
        name: vine.string().trim().minLength(1).maxLength(120),
        amount: vine.number().min(0).optional(),
        description: vine.string().trim().maxLength(500).optional(),
      })
    )
    .maxLength(50)
    .optional(),
  documents: vine.array(vine.string().trim().minLength(1).maxLength(200)).maxLength(30).optional(),
  persona: vine
    .object({
      agentName: vine.string().trim().maxLength(60).optional(),
      style: vine.string().trim().maxLength(500).optional(),
      emojiUse: vine.enum(['none', 'low', 'medium', 'high']).optional(),
      greeting: vine.string().trim().maxLength(500).optional(),
      instructions: vine.string().trim().maxLength(4000).optional(),
    })
    .optional(),
  settings: vine
    .object({
      agentsSeeBotConversations: vine.boolean().optional(),
      agentsSeeAllConversations: vine.boolean().optional(),
    })
    .optional(),
})
