import db from '@adonisjs/lucid/services/db'
import transmit from '@adonisjs/transmit/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { currentLogger } from '#services/logging'

export interface RealtimeEventInput {
  providerId: number
  /** A channel name from #realtime/channels. */
  audience: string
  event: string
  payload: Record<string, unknown>
}

export interface RealtimeFrame {
  seq: number
  event: string
  payload: Record<string, unknown>
  at: string
}

/**
 * Domain events pushed to browsers. Transmit neither numbers nor replays, so each event first gets
 * its provider's next sequence number in PostgreSQL (the counter row stays locked until the caller's
 * transaction ends, so numbers become visible in order), and is broadcast only after commit. A client
 * that reconnects asks `GET …/events?since=<seq>` for what it missed.
 */
export class RealtimeService {
  async publish(input: RealtimeEventInput, trx?: TransactionClientContract): Promise<number> {
    if (trx) {
      const frame = await this.#store(trx, input)
      trx.after('commit', () => this.#broadcast(input.audience, frame))
      return frame.seq
    }
    const frame = await db.transaction((client) => this.#store(client, input))
    this.#broadcast(input.audience, frame)
    return frame.seq
  }

  async #store(client: TransactionClientContract, input: RealtimeEventInput): Promise<RealtimeFrame> {
    const result = await client.rawQuery(
      `INSERT INTO provider_event_counters (provider_id, last_seq) VALUES (?, 1)
       ON CONFLICT (provider_id) DO UPDATE SET last_seq = provider_event_counters.last_seq + 1
       RETURNING last_seq`,
      [input.providerId]
    )
    const seq = Number(result.rows[0].last_seq)
    const at = new Date()
    await client.insertQuery().table('realtime_events').insert({
      provider_id: input.providerId,
      seq,
      channel: input.audience,
      event: input.event,
      payload: JSON.stringify(input.payload),
      created_at: at,
    })
    return { seq, event: input.event, payload: input.payload, at: at.toISOString() }
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
