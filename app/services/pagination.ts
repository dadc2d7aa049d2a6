import vine from '@vinejs/vine'
import ApiError from '#exceptions/api_error'

/** `?cursor=&limit=` as every list endpoint takes them. */
export const paginationSchema = {
  cursor: vine.string().trim().maxLength(500).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
}

export const DEFAULT_PAGE_SIZE = 25

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined): T | null {
  if (!cursor) return null
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (value && typeof value === 'object') return value as T
  } catch {}
  throw new ApiError(422, 'The cursor is not valid', 'cursor', 'cursor')
}

/**
 * Pages any query ordered by a unique, ascending or descending integer column (id by default).
 * Fetches one row more than asked to know whether a next page exists.
 */
export async function pageById<Row extends { id: number }>(
  query: { where: Function; orderBy: Function; limit: Function; then: Function } & PromiseLike<Row[]>,
  options: { cursor?: string; limit?: number; direction?: 'asc' | 'desc'; column?: string }
) {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE
  const direction = options.direction ?? 'asc'
  const column = options.column ?? 'id'
  const after = decodeCursor<{ id: number }>(options.cursor)
  if (after) query.where(column, direction === 'asc' ? '>' : '<', Number(after.id))
  const rows: Row[] = await query.orderBy(column, direction).limit(limit + 1)
  const hasMore = rows.length > limit
  const data = hasMore ? rows.slice(0, limit) : rows
  return { data, nextCursor: hasMore ? encodeCursor({ id: data[data.length - 1].id }) : null }
}
