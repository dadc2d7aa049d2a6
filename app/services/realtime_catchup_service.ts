import db from '@adonisjs/lucid/services/db'
import Conversation from '#models/conversation'
import RealtimeEvent from '#models/realtime_event'
import { canSeeConversation, type Viewer } from '#services/visibility_service'

const SCAN_BATCH = 500
const MAX_SCANNED = 5000

/**
 * Whether the viewer may receive what is sent on a channel now: the same decisions as the Transmit
 * authorizers (start/transmit.ts), with conversations preloaded in bulk. A name of another provider or
 * of no known pattern is never visible.
 */
export function mayReceive(viewer: Viewer, channel: string, conversations: Map<number, Conversation>): boolean {
  const settings = viewer.provider.settings ?? {}
  const staff = viewer.role !== 'agent'
  const user = /^users\/(\d+)$/.exec(channel)
  if (user) return Number(user[1]) === viewer.userId
  const scoped = /^providers\/(\d+)\/(.+)$/.exec(channel)
  if (!scoped || Number(scoped[1]) !== viewer.provider.id) return false
  const rest = scoped[2]
  if (rest === 'supervision') return staff || Boolean(settings.agentsSeeAllConversations)
  if (rest === 'presence') return true
  if (rest === 'bot') return staff || Boolean(settings.agentsSeeBotConversations || settings.agentsSeeAllConversations)
  const team = /^teams\/(\d+)$/.exec(rest)
  if (team) return staff || Boolean(settings.agentsSeeAllConversations) || viewer.teamIds.includes(Number(team[1]))
  const conversation = /^conversations\/(\d+)$/.exec(rest)
  if (conversation) {
    const row = conversations.get(Number(conversation[1]))
    return Boolean(row && canSeeConversation(viewer, row))
  }
  return false
}

/**
 * `GET …/events?since=<seq>`: what a reconnecting client missed. Every pushed event is stored with its
 * provider's sequence number; this returns, in order, those after `since` on channels the viewer may
 * receive now (events of channels it may not see are skipped; the gaps they leave do not matter).
 */
export class RealtimeCatchupService {
  /** The provider's newest sequence number (0 before any event): where a fresh client starts. */
  async head(providerId: number): Promise<number> {
    const row = await db.from('provider_event_counters').where('provider_id', providerId).first()
    return Number(row?.last_seq ?? 0)
  }

  async since(viewer: Viewer, since: number, limit: number) {
    const data: RealtimeEvent[] = []
    let cursor = since
    let scanned = 0
    let exhausted = false
    while (data.length < limit && scanned < MAX_SCANNED) {
      const rows = await RealtimeEvent.query()
        .where('provider_id', viewer.provider.id)
        .where('seq', '>', cursor)
        .orderBy('seq', 'asc')
        .limit(SCAN_BATCH)
      if (!rows.length) {
        exhausted = true
        break
      }
      scanned += rows.length
      const conversations = await this.#conversationsOf(viewer.provider.id, rows)
      for (const row of rows) {
        cursor = Number(row.seq)
        if (mayReceive(viewer, row.channel, conversations)) {
          data.push(row)
          if (data.length >= limit) break
        }
      }
      if (rows.length < SCAN_BATCH && cursor === Number(rows[rows.length - 1].seq)) {
        exhausted = true
        break
      }
    }
    // Nothing after the last event looked at? Then the client is up to date.
    const more = !exhausted && (await RealtimeEvent.query().where('provider_id', viewer.provider.id).where('seq', '>', cursor).first()) !== null
    return { data, lastSeq: cursor, hasMore: more }
  }

  async #conversationsOf(providerId: number, rows: RealtimeEvent[]) {
    const ids = new Set<number>()
    for (const row of rows) {
      const match = /\/conversations\/(\d+)$/.exec(row.channel)
      if (match) ids.add(Number(match[1]))
    }
    const map = new Map<number, Conversation>()
    if (!ids.size) return map
    const conversations = await Conversation.query().where('provider_id', providerId).whereIn('id', [...ids])
    for (const conversation of conversations) map.set(conversation.id, conversation)
    return map
  }
}

const catchup = new RealtimeCatchupService()
export default catchup
