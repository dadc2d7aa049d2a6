import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import queues, { type QueueName } from '#services/queue_service'
import { currentLogger } from '#services/logging'

export interface OutboxEntryInput {
  providerId: number | null
  queue: QueueName
  jobName: string
  /** Deterministic BullMQ job id (no ':'), so a job enqueued twice runs once. */
  jobId?: string
  payload: Record<string, unknown>
  delayMs?: number
  /**
   * Debounce: while a job with this id is still waiting, a new one replaces it and its delay starts
   * again, so a burst (several customer messages in a row) runs the job once, after the last one.
   */
  debounce?: { id: string; ttlMs?: number }
}

/**
 * Transactional outbox: follow-up jobs are written in the same transaction as the data they follow,
 * then enqueued after commit. If Redis is down (or the process dies) between commit and enqueue, the
 * rows stay pending and the worker's sweep enqueues them later, so no accepted work is lost.
 */
export class OutboxService {
  #flushing: Promise<number> | null = null
  #again = false

  async add(trx: TransactionClientContract, entry: OutboxEntryInput) {
    await trx.insertQuery().table('outbox').insert({
      provider_id: entry.providerId,
      queue: entry.queue,
      job_name: entry.jobName,
      job_id: entry.jobId ?? null,
      payload: JSON.stringify(entry.payload),
      delay_ms: entry.delayMs ?? 0,
      options: JSON.stringify(
        entry.debounce
          ? { deduplication: { id: entry.debounce.id, ttl: entry.debounce.ttlMs ?? entry.delayMs ?? 0, extend: true, replace: true } }
          : {}
      ),
    })
    trx.after('commit', () => void this.flush())
  }

  /** Enqueues every pending row; concurrent calls coalesce into one more pass. Returns rows sent. */
  flush(): Promise<number> {
    if (this.#flushing) {
      this.#again = true
      return this.#flushing
    }
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = null
      if (this.#again) {
        this.#again = false
        void this.flush()
      }
    })
    return this.#flushing
  }

  async #drain(): Promise<number> {
    let sent = 0
    for (;;) {
      const batch = await this.#dispatchBatch(100)
      sent += batch.sent
      if (batch.size < 100 || batch.failed) return sent
    }
  }

  async #dispatchBatch(limit: number) {
    return db.transaction(async (trx) => {
      // SKIP LOCKED lets several web/worker processes sweep at once without sending a row twice.
      const rows = await trx
        .from('outbox')
        .whereNull('dispatched_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
      let sent = 0
      let failed = false
      for (const row of rows) {
        try {
          const delay = Math.max(0, Number(row.delay_ms) - (Date.now() - new Date(row.created_at).getTime()))
          const options = row.options ?? {}
          // A debounced job keeps its own id per row; the deduplication id is what groups the burst.
          await queues.get(row.queue).add(row.job_name, row.payload, {
            jobId: options.deduplication ? `outbox-${row.id}` : (row.job_id ?? `outbox-${row.id}`),
            delay,
            ...options,
          })
          await trx.from('outbox').where('id', row.id).update({ dispatched_at: new Date() })
          sent++
        } catch (error) {
          failed = true
          await trx
            .from('outbox')
            .where('id', row.id)
            .update({ attempts: Number(row.attempts) + 1, last_error: String((error as Error).message).slice(0, 500) })
          currentLogger().warn({ outbox_id: row.id, err: error }, 'outbox: enqueue failed, will retry on the next sweep')
          break
        }
      }
      return { size: rows.length, sent, failed }
    })
  }

  /** How many rows still wait to be enqueued (health and tests). */
  async pendingCount() {
    const [{ count }] = await db.from('outbox').whereNull('dispatched_at').count('* as count')
    return Number(count)
  }

  #timer: NodeJS.Timeout | null = null

  /** The worker's periodic sweep. */
  startSweeper(intervalMs = 2000) {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      this.flush().catch((error) => currentLogger().warn({ err: error }, 'outbox sweep failed'))
    }, intervalMs)
    this.#timer.unref()
  }

  stopSweeper() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }
}

const outbox = new OutboxService()
export default outbox
