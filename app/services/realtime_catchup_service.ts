import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import ApiError from '#exceptions/api_error'
import { currentLogger } from '#services/logging'
import Conversation from '#models/conversation'
import RealtimeEvent from '#models/realtime_event'
import realtime from '#services/realtime_service'
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
    await realtime.sequence(providerId)
    const row = await db.from('provider_event_counters').where('provider_id', providerId).first()
    return Number(row?.last_seq ?? 0)
  }

  /**
   * Deletes events older than `before` (in batches, so the table is never locked for long) and records
   * per provider the last sequence number gone. Returns how many were deleted.
   */
  async prune(before: Date, batch = 5000): Promise<number> {
    let total = 0
    while (true) {
      const result = await db.rawQuery(
        `WITH gone AS (
           DELETE FROM realtime_events WHERE ctid IN (SELECT ctid FROM realtime_events WHERE created_at < ? LIMIT ?)
           RETURNING provider_id, seq
         ), highest AS (SELECT provider_id, max(seq) AS seq, count(*) AS n FROM gone GROUP BY provider_id)
         UPDATE provider_event_counters c SET pruned_seq = greatest(c.pruned_seq, h.seq)
         FROM highest h WHERE c.provider_id = h.provider_id
         RETURNING h.n`,
        [before, batch]
      )
      const deleted = result.rows.reduce((sum: number, row: { n: string }) => sum + Number(row.n), 0)
      total += deleted
      if (deleted < batch) return total
    }
  }

  #timer: NodeJS.Timeout | null = null

  /** The worker's hourly retention: events older than REALTIME_RETENTION_HOURS (72 by default) go. */
  startRetention(intervalMs = 3_600_000) {
    if (this.#timer) return
    const run = () => {
      const before = new Date(Date.now() - env.get('REALTIME_RETENTION_HOURS', 72) * 3_600_000)
      this.prune(before)
        .then((deleted) => deleted && currentLogger().info({ deleted, before }, 'realtime events pruned'))
        .catch((error) => currentLogger().warn({ err: error }, 'realtime event pruning failed'))
    }
    this.#timer = setInterval(run, intervalMs)
    this.#timer.unref()
  }

  stopRetention() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  /** The last sequence number deleted by the retention (0: nothing ever was). */
  async prunedThrough(providerId: number): Promise<number> {
    const row = await db.from('provider_event_counters').where('provider_id', providerId).select('pruned_seq').first()
    return Number(row?.pruned_seq ?? 0)
  }

  async since(viewer: Viewer, since: number, limit: number) {
    if (since < (await this.prunedThrough(viewer.provider.id))) {
      throw new ApiError(410, 'Events this old are no longer kept: reload the conversations instead of catching up', 'since', 'pruned')
    }
    // Events committed a moment ago may still wait for their number: number them before reading.
    await realtime.sequence(viewer.provider.id)
    const data: { event: RealtimeEvent; channel: string }[] = []
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
        // One entry per channel the viewer may receive, all of one event together (a page may pass the limit by those).
        for (const channel of row.channels) if (mayReceive(viewer, channel, conversations)) data.push({ event: row, channel })
        if (data.length >= limit) break
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
      for (const channel of row.channels) {
        const match = /\/conversations\/(\d+)$/.exec(channel)
        if (match) ids.add(Number(match[1]))
      }
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
