import vine from '@vinejs/vine'

/** `GET …/events?since=<seq>&limit=`: the last sequence number the client received. */
export const catchupValidator = vine.create({
  since: vine.number().withoutDecimals().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: vine.number().withoutDecimals().range([1, 500]).optional(),
})
