import vine from '@vinejs/vine'

const isoDate = () => vine.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/)
const id = () => vine.number().withoutDecimals().min(1).max(2_147_483_647)

/**
 * `?from&to&inbox&team&agent` of the metrics and CSAT reports. Dates are calendar days in the
 * provider's timezone; the order of the two and the longest span are checked by the metrics service.
 */
export const metricsQueryValidator = vine.create({
  from: isoDate().optional(),
  to: isoDate().optional(),
  inbox: id().optional(),
  team: id().optional(),
  agent: id().optional(),
})
