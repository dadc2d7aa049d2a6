import vine from '@vinejs/vine'
import type { ConfigField, ConfigSchema } from '#plugins/sdk'

/** What an API answer shows instead of a stored secret. */
export const SECRET_MASK = '********'

const FIELD_TYPES = new Set(['string', 'url', 'number', 'boolean', 'select'])

/** Problems with a schema itself (reported by the loader, naming the plugin). */
export function schemaProblems(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return ['config must be an object of fields']
  const problems: string[] = []
  for (const [name, field] of Object.entries(schema as Record<string, any>)) {
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) problems.push(`config field "${name}" must be a camelCase name`)
    if (!field || typeof field !== 'object') {
      problems.push(`config field "${name}" must be declared with fields.*()`)
      continue
    }
    if (!FIELD_TYPES.has(field.type)) problems.push(`config field "${name}" has an unknown type "${field.type}"`)
    if (typeof field.label !== 'string' || !field.label) problems.push(`config field "${name}" needs a label`)
    if (field.type === 'select' && (!Array.isArray(field.options) || field.options.length === 0)) {
      problems.push(`config field "${name}" is a select without options`)
    }
  }
  return problems
}

function fieldRule(field: ConfigField) {
  switch (field.type) {
    case 'string': {
      let rule = vine.string().trim()
      if (field.required) rule = rule.minLength(1)
      if (field.maxLength) rule = rule.maxLength(field.maxLength)
      if (field.pattern) rule = rule.regex(new RegExp(field.pattern))
      return rule
    }
    case 'url':
      return vine
        .string()
        .trim()
        .url({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
        .transform((value) => value.replace(/\/+$/, ''))
    case 'number': {
      let rule = vine.number()
      if (field.min !== undefined) rule = rule.min(field.min)
      if (field.max !== undefined) rule = rule.max(field.max)
      return rule
    }
    case 'boolean':
      return vine.boolean()
    case 'select':
      return vine.enum(field.options.map((option) => option.value))
  }
}

/**
 * The VineJS validator of one plugin's instance config, built once from its schema. Unknown keys are
 * dropped; missing optional fields take their declared default.
 */
export function compileConfigValidator(schema: ConfigSchema) {
  const properties: Record<string, any> = {}
  for (const [name, field] of Object.entries(schema)) {
    const rule = fieldRule(field)
    properties[name] = field.required && field.default === undefined ? rule : rule.optional()
  }
  const validator = vine.create(vine.object(properties))
  return async (input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const output = (await validator.validate(input)) as Record<string, unknown>
    for (const [name, field] of Object.entries(schema)) {
      if (output[name] === undefined && field.default !== undefined) output[name] = field.default
    }
    return output
  }
}

/** The admin form's description of a schema: field order, types, labels, help; never values. */
export function describeSchema(schema: ConfigSchema) {
  return Object.entries(schema).map(([name, field]) => ({
    name,
    type: field.type,
    label: field.label,
    help: field.help ?? null,
    required: Boolean(field.required),
    secret: Boolean(field.secret),
    placeholder: field.placeholder ?? null,
    default: field.secret ? null : (field.default ?? null),
    ...(field.type === 'select' ? { options: field.options } : {}),
    ...(field.type === 'number' ? { min: field.min ?? null, max: field.max ?? null } : {}),
  }))
}

export function secretFields(schema: ConfigSchema): string[] {
  return Object.entries(schema)
    .filter(([, field]) => field.secret)
    .map(([name]) => name)
}

/** A config as the API shows it: every set secret replaced by the mask. */
export function maskConfig(schema: ConfigSchema, config: Record<string, unknown>) {
  const masked: Record<string, unknown> = {}
  for (const name of Object.keys(schema)) {
    const value = config[name]
    if (schema[name].secret) masked[name] = value === undefined || value === null || value === '' ? null : SECRET_MASK
    else masked[name] = value ?? null
  }
  return masked
}
