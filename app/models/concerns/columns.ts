import { column } from '@adonisjs/lucid/orm'

/**
 * A jsonb column. node-postgres would send a JS array as a Postgres array, not JSON, so values are
 * serialized on the way in; they come back parsed.
 */
export function jsonColumn(options: { serializeAs?: string | null } = {}) {
  return column({
    prepare: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
    ...options,
  })
}
