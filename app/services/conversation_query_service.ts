import ApiError from '#exceptions/api_error'
import Conversation, { type ConversationStatus } from '#models/conversation'
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor } from '#services/pagination'
import { canSeeConversation, scopeVisible, teamIdsOf, type Viewer } from '#services/visibility_service'
import type { TenantContext } from '#services/tenancy'

export interface ConversationFilters {
  status?: ConversationStatus[]
  /** `me`, `none`, or a member's id. */
  assignee?: 'me' | 'none' | number
  /** A team id, or `none` for conversations of no team. */
  team?: 'none' | number
  inbox?: number
  contact?: number
  label?: string
  /** Words to find in messages, the contact's name or phone. */
  q?: string
  /** true: only snoozed ones; false: hide snoozed ones; absent: both. */
  snoozed?: boolean
  cursor?: string
  limit?: number
}

/** The visibility rule needs the viewer's teams; resolved once per request. */
export async function viewerOf(tenant: TenantContext): Promise<Viewer> {
  return {
    userId: tenant.user.id,
    role: tenant.role,
    provider: tenant.provider,
    teamIds: await teamIdsOf(tenant.providerId, tenant.user.id),
  }
}

/** `%`, `_` and `\` are LIKE wildcards; the search is for the literal text. */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * The inbox lists: conversations the viewer may see, filtered, newest activity first. Pages use a
 * keyset cursor on (last_activity_at, id) taken from the database's own timestamp text, so a page never
 * repeats or skips a row that did not change; a conversation whose activity moves while a client pages
 * simply reappears at the top (the client hears about it over realtime).
 */
export class ConversationQueryService {
  async list(viewer: Viewer, filters: ConversationFilters) {
    const limit = filters.limit ?? DEFAULT_PAGE_SIZE
    const query = Conversation.query()
    scopeVisible(query, viewer)

    if (filters.status?.length) query.whereIn('conversations.status', filters.status)
    if (filters.assignee === 'me') query.where('conversations.assignee_id', viewer.userId)
    else if (filters.assignee === 'none') query.whereNull('conversations.assignee_id')
    else if (typeof filters.assignee === 'number') query.where('conversations.assignee_id', filters.assignee)
    if (filters.team === 'none') query.whereNull('conversations.team_id')
    else if (typeof filters.team === 'number') query.where('conversations.team_id', filters.team)
    if (filters.inbox) query.where('conversations.inbox_id', filters.inbox)
    if (filters.contact) query.where('conversations.contact_id', filters.contact)
    if (filters.label) query.whereRaw('? = ANY(conversations.labels)', [filters.label.trim().toLowerCase()])
    if (filters.snoozed === true) query.where('conversations.snoozed_until', '>', new Date())
    if (filters.snoozed === false) {
      query.where((q) => q.whereNull('conversations.snoozed_until').orWhere('conversations.snoozed_until', '<=', new Date()))
    }
    if (filters.q) this.#search(query, filters.q)

    const after = decodeCursor<{ at: string; id: number }>(filters.cursor)
    if (after) {
      if (typeof after.at !== 'string' || !Number.isSafeInteger(after.id)) {
        throw new ApiError(422, 'The cursor is not valid', 'cursor', 'cursor')
      }
      query.whereRaw('(conversations.last_activity_at, conversations.id) < (?::timestamptz, ?)', [after.at, after.id])
    }

    const rows = await query
      .select('conversations.*')
      .select(query.client.raw('conversations.last_activity_at::text AS cursor_at'))
      .preload('contact')
      .preload('assignee')
      .preload('team')
      .orderBy('conversations.last_activity_at', 'desc')
      .orderBy('conversations.id', 'desc')
      .limit(limit + 1)
    const hasMore = rows.length > limit
    const data = hasMore ? rows.slice(0, limit) : rows
    const last = data[data.length - 1]
    return {
      data,
      nextCursor: hasMore && last ? encodeCursor({ at: String(last.$extras.cursor_at), id: last.id }) : null,
    }
  }

  /**
   * The inbox tabs' counters in one query, with the same visibility rule as the lists: how many
   * conversations each tab holds and how many unread customer messages they carry. `all` only for
   * those who have the "Todas" tab (admins and supervisors). Snoozed conversations are out of the
   * tabs until their time comes, so they are not counted.
   */
  async counts(viewer: Viewer) {
    const query = Conversation.query()
    scopeVisible(query, viewer)
    query.where((q) => q.whereNull('conversations.snoozed_until').orWhere('conversations.snoozed_until', '<=', new Date()))
    const tab = (name: string, where: string) =>
      `count(*) FILTER (WHERE ${where}) AS ${name}_conversations, coalesce(sum(conversations.unread_count) FILTER (WHERE ${where}), 0) AS ${name}_unread`
    const row = await query
      .whereIn('conversations.status', ['bot', 'pending', 'open'])
      .select(
        query.client.raw(
          [
            tab('mine', `conversations.assignee_id = ${Number(viewer.userId)} AND conversations.status IN ('open', 'pending')`),
            tab('unassigned', `conversations.assignee_id IS NULL AND conversations.status = 'pending'`),
            tab('bot', `conversations.status = 'bot'`),
            tab('all', 'true'),
          ].join(', ')
        )
      )
      .pojo<Record<string, string | number>>()
      .first()
    const of = (name: string) => ({ conversations: Number(row?.[`${name}_conversations`] ?? 0), unread: Number(row?.[`${name}_unread`] ?? 0) })
    return {
      mine: of('mine'),
      unassigned: of('unassigned'),
      bot: of('bot'),
      ...(viewer.role === 'agent' ? {} : { all: of('all') }),
    }
  }

  /** One conversation the viewer may see; 404 otherwise (existence is not revealed). */
  async find(viewer: Viewer, conversationId: unknown) {
    const id = Number(conversationId)
    if (!Number.isSafeInteger(id) || id <= 0) throw ApiError.notFound('Conversation')
    const conversation = await Conversation.query()
      .where({ providerId: viewer.provider.id, id })
      .preload('contact')
      .preload('assignee')
      .preload('team')
      .preload('inbox')
      .first()
    if (!conversation || !canSeeConversation(viewer, conversation)) throw ApiError.notFound('Conversation')
    return conversation
  }

  /** Text in any message (not deleted), the contact's name, or digits of the contact's phone. */
  #search(query: ReturnType<typeof Conversation.query>, text: string) {
    const pattern = likePattern(text.trim())
    const digits = text.replace(/\D/g, '')
    query.where((match) => {
      match
        .whereExists((messages) => {
          messages
            .from('messages')
            .whereColumn('messages.conversation_id', 'conversations.id')
            .whereColumn('messages.provider_id', 'conversations.provider_id')
            .whereNull('messages.deleted_at')
            .whereILike('messages.content', pattern)
        })
        .orWhereExists((contacts) => {
          contacts
            .from('contacts')
            .whereColumn('contacts.id', 'conversations.contact_id')
            .where((c) => {
              c.whereILike('contacts.name', pattern)
              if (digits.length >= 3) c.orWhereLike('contacts.phone', `%${digits}%`)
            })
        })
    })
  }
}

const conversationQueries = new ConversationQueryService()
export default conversationQueries
