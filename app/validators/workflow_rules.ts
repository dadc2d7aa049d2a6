import vine from '@vinejs/vine'
import { DateTime } from 'luxon'

/** Ids in paths, bodies and query strings: positive 32-bit integers. */
export const id = () => vine.number().withoutDecimals().min(1).max(2_147_483_647)

const isoDateTimeRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string' || !DateTime.fromISO(value, { setZone: true }).isValid) {
    field.report('The {{ field }} field must be an ISO 8601 date and time', 'isoDateTime', field)
  }
})

/** An ISO 8601 date-time (`2026-05-01T14:00:00-03:00`), given to the service as a Date. */
export const isoDateTime = () =>
  vine
    .string()
    .trim()
    .maxLength(40)
    .use(isoDateTimeRule())
    // VineJS also runs transforms for a null accepted by `.nullable()`.
    .transform((value) => (value === null ? (null as unknown as Date) : DateTime.fromISO(value, { setZone: true }).toJSDate()))
