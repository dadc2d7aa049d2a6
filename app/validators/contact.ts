import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id } from '#validators/workflow_rules'

/**
 * Custom attributes: up to 50 keys (`plano`, `cidade`, `vencimento_dia`) whose values are short
 * scalars; null removes a key on update.
 */
const scalarOrNull = vine.createRule((value, _options, field) => {
  const ok =
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 500)
  if (!ok) field.report('Attribute values are text (up to 500 characters), numbers, booleans or null', 'attributeValue', field)
})

const customAttributes = () =>
  vine
    .record(vine.any().use(scalarOrNull()).nullable())
    .maxLength(50)
    .validateKeys((keys, field) => {
      for (const key of keys) {
        if (!/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/.test(key)) {
          field.report('Attribute names are letters, digits and "_", starting with a letter (at most 40)', 'attributeKey', field)
          return
        }
      }
    })

const fields = {
  name: vine.string().trim().minLength(1).maxLength(200).nullable().optional(),
  phone: vine
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{8,24}$/)
    .nullable()
    .optional(),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  document: vine.string().trim().regex(/^[\d./-]{11,20}$/).nullable().optional(),
  avatarUrl: vine.string().trim().url().maxLength(1000).nullable().optional(),
  customAttributes: customAttributes().optional(),
}

export const createContactValidator = vine.create(fields)
export const updateContactValidator = vine.create(fields)
export const mergeContactValidator = vine.create({ sourceId: id() })
export const listContactsValidator = vine.create({
  q: vine.string().trim().minLength(1).maxLength(100).optional(),
  ...paginationSchema,
})
export const contactIspValidator = vine.create({ cpfCnpj: vine.string().trim().minLength(1).maxLength(20).optional() })
