import db from '@adonisjs/lucid/services/db'
import transmit from '@adonisjs/transmit/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { currentLogger } from '#services/logging'

export interface RealtimeEventInput {
  providerId: number
  /** Channel names from #realtime/channels: the event goes to each. */
  audience: string | string[]
  event: string
  payload: Record<string, unknown>
}

export interface RealtimeFrame {
  seq: number
  event: string
  payload: Record<string, unknown>
  at: string
}

/** Events numbered per sequencer transaction: large enough to amortize a commit, small enough to be quick. */
const NUMBER_BATCH = 500

/**
 * Domain events pushed to browsers. Transmit neither numbers nor replays, so every event is stored in
 * the caller's transaction (with the data it reports) and, once committed, numbered by a per-provider
 * sequencer that also broadcasts it. The sequencer takes the provider's counter row and numbers every
 * committed event without a number in one short transaction, so numbers become visible in order (a
 * client asking `GET …/events?since=<seq>` never skips an event committed late), while the ingest
 * transactions of one provider never wait on one another for a number: under load one sequencer pass
 * numbers a whole batch with a single commit.
 */
export class RealtimeService {
  #inFlight = new Map<number, Promise<void>>()
  #queued = new Map<number, Promise<void>>()
  #timer: NodeJS.Timeout | null = null

  /**
   * Stores the event (one row, whatever the number of channels). In a transaction it is numbered and
   * broadcast after the commit; without one, before this resolves.
   */
  async publish(input: RealtimeEventInput, trx?: TransactionClientContract): Promise<void> {
    const channels = Array.isArray(input.audience) ? input.audience : [input.audience]
    if (!channels.length) return
    const row = { provider_id: input.providerId, channels, event: input.event, payload: JSON.stringify(input.payload), created_at: new Date() }
    if (trx) {
      await trx.insertQuery().table('realtime_events').insert(row)
      trx.after('commit', () => this.#kick(input.providerId))
      return
    }
    await db.insertQuery().table('realtime_events').insert(row)
    await this.sequence(input.providerId)
  }

  /**
   * Numbers and broadcasts the provider's committed events that have no number yet. Resolves after a
   * pass that started after the call; calls made while a pass runs share the one queued after it.
   */
  sequence(providerId: number): Promise<void> {
    const queued = this.#queued.get(providerId)
    if (queued) return queued
    const previous = this.#inFlight.get(providerId) ?? Promise.resolve()
    const pass: Promise<void> = previous
      .catch(() => {})
      .then(async () => {
        this.#queued.delete(providerId)
        this.#inFlight.set(providerId, pass)
        try {
          while ((await this.#numberBatch(providerId)) === NUMBER_BATCH);
        } finally {
          if (this.#inFlight.get(providerId) === pass) this.#inFlight.delete(providerId)
        }
      })
    this.#queued.set(providerId, pass)
    return pass
  }

  /**
   * The worker's sweep: events whose process died between commit and numbering are numbered (and
   * broadcast) a moment later instead of waiting for the provider's next event.
   */
  startSweeper(intervalMs = 2000) {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      this.sweep().catch((error) => currentLogger().warn({ err: error }, 'realtime: numbering sweep failed'))
    }, intervalMs)
    this.#timer.unref()
  }

  stopSweeper() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  async sweep() {
    const rows = await db.from('realtime_events').whereNull('seq').distinct('provider_id')
    for (const row of rows) await this.sequence(Number(row.provider_id))
  }

  #kick(providerId: number) {
    this.sequence(providerId).catch((error) =>
      // The events stay stored without a number; the worker's sweep numbers and broadcasts them.
      currentLogger().warn({ err: error, provider_id: providerId }, 'realtime: numbering failed, the sweep will retry')
    )
  }

  /** One sequencer transaction; returns how many events it numbered. */
  async #numberBatch(providerId: number): Promise<number> {
    // Most passes under load find work; an idle one costs this one indexed read, not a transaction.
    const pending = await db.from('realtime_events').where('provider_id', providerId).whereNull('seq').select('id').first()
    if (!pending) return 0
    const frames = await db.transaction(async (trx) => {
      let counter = await trx.from('provider_event_counters').where('provider_id', providerId).forUpdate().first()
      if (!counter) {
        await trx.rawQuery('INSERT INTO provider_event_counters (provider_id, last_seq) VALUES (?, 0) ON CONFLICT DO NOTHING', [providerId])
        counter = await trx.from('provider_event_counters').where('provider_id', providerId).forUpdate().first()
      }
      const last = Number(counter.last_seq)
      // Holding the counter row, every event committed by now is visible: number them in insertion order.
      const result = await trx.rawQuery(
        `WITH numbered AS (
           SELECT id, ?::bigint + row_number() OVER (ORDER BY id) AS seq
           FROM realtime_events WHERE provider_id = ? AND seq IS NULL ORDER BY id LIMIT ?
         )
         UPDATE realtime_events e SET seq = numbered.seq FROM numbered WHERE e.id = numbered.id
         RETURNING e.seq, e.channels, e.event, e.payload, e.created_at`,
        [last, providerId, NUMBER_BATCH]
      )
      const rows = result.rows as { seq: string; channels: string[]; event: string; payload: Record<string, unknown>; created_at: Date }[]
      if (rows.length) {
        await trx.from('provider_event_counters').where('provider_id', providerId).update({ last_seq: last + rows.length })
      }
      return rows
        .map((row) => ({ channels: row.channels, frame: { seq: Number(row.seq), event: row.event, payload: row.payload, at: new Date(row.created_at).toISOString() } }))
        .sort((a, b) => a.frame.seq - b.frame.seq)
    })
    for (const { channels, frame } of frames) for (const channel of channels) this.#broadcast(channel, frame)
    return frames.length
  }

  /**
   * Passing state (typing): pushed to whoever listens now, never stored nor numbered (seq 0), since a
   * client that missed it has nothing to catch up on.
   */
  broadcastTransient(channel: string, event: string, payload: Record<string, unknown>) {
    this.#broadcast(channel, { seq: 0, event, payload, at: new Date().toISOString() })
  }

  #broadcast(channel: string, frame: RealtimeFrame) {
    try {
      transmit.broadcast(channel, frame as any)
    } catch (error) {
      // The event is stored: a client that missed it gets it from the catch-up endpoint.
      currentLogger().warn({ err: error, channel }, 'realtime broadcast failed')
    }
  }
}

const realtime = new RealtimeService()
export default realtime
