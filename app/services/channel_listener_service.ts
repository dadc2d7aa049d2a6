import { createHash, randomUUID } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import Inbox from '#models/inbox'
import Provider from '#models/provider'
import plugins from '#plugins/main'
import type { ChannelEvent, Stoppable } from '#plugins/sdk'
import inboxes from '#services/inbox_service'
import ingest from '#services/ingest_service'
import { currentLogger } from '#services/logging'

/** A listener's claim lives this long without renewal; the sync renews it well before. */
const CLAIM_MS = 30_000
const SYNC_MS = 10_000

interface Running {
  stoppable: Stoppable
  fingerprint: string
}

/**
 * Pulled channels (a mailbox over IMAP IDLE, a socket) run one long-lived listener per inbox, started
 * through the channel adapter's `start(inbox, sink)` in the worker process. This keeps the running
 * set in line with the inboxes table: new inboxes start, deleted ones stop, a changed config restarts.
 * With several workers, a Redis claim per inbox makes sure one process listens to each mailbox.
 */
class ChannelListenerService {
  readonly #running = new Map<number, Running>()
  readonly #owner = randomUUID()
  #timer: NodeJS.Timeout | null = null
  #syncing: Promise<void> | null = null

  start(intervalMs = SYNC_MS) {
    if (this.#timer) return
    void this.sync()
    this.#timer = setInterval(() => void this.sync(), intervalMs)
    this.#timer.unref()
  }

  async stop() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#syncing
    await Promise.all([...this.#running.keys()].map((id) => this.#stopOne(id)))
  }

  /** One pass; concurrent calls share it. */
  sync(): Promise<void> {
    this.#syncing ??= this.#sync().finally(() => (this.#syncing = null))
    return this.#syncing
  }

  running(inboxId: number) {
    return this.#running.has(inboxId)
  }

  async #sync() {
    try {
      const pulled = plugins.channels.ids().filter((id) => typeof plugins.channels.find(id)?.start === 'function')
      const rows = pulled.length ? await Inbox.query().whereIn('pluginId', pulled) : []
      const wanted = new Map(rows.map((inbox) => [inbox.id, inbox]))
      for (const id of this.#running.keys()) if (!wanted.has(id)) await this.#stopOne(id)
      for (const inbox of wanted.values()) {
        const fingerprint = createHash('sha1').update(`${inbox.pluginId}\n${inbox.config}`).digest('hex')
        const current = this.#running.get(inbox.id)
        if (current && current.fingerprint !== fingerprint) await this.#stopOne(inbox.id)
        if (this.#running.has(inbox.id)) {
          if (!(await this.#renew(inbox.id))) await this.#stopOne(inbox.id, false)
          continue
        }
        if (await this.#claim(inbox.id)) await this.#startOne(inbox, fingerprint)
      }
    } catch (error) {
      currentLogger().warn({ err: error }, 'channel listeners: sync failed')
    }
  }

  async #startOne(inbox: Inbox, fingerprint: string) {
    const adapter = inboxes.adapterOf(inbox)
    const ctx = inboxes.contextFor(inbox)
    // Each event is stored like a webhook's (same idempotency); the plugin acknowledges upstream
    // (e.g. marks the mail seen) only after this resolves.
    const sink = async (event: ChannelEvent) => {
      const provider = await Provider.findOrFail(inbox.providerId)
      await ingest.handleEvent(provider, inbox, ctx, event)
    }
    try {
      const stoppable = await adapter.start!(ctx, sink)
      this.#running.set(inbox.id, { stoppable, fingerprint })
      ctx.logger.info({}, 'channel listener started')
    } catch (error) {
      await redis.del(this.#key(inbox.id))
      ctx.logger.error({ err: error }, 'channel listener could not start; retrying on the next sync')
    }
  }

  async #stopOne(inboxId: number, release = true) {
    const running = this.#running.get(inboxId)
    this.#running.delete(inboxId)
    await running?.stoppable.stop().catch((error) => currentLogger().warn({ err: error, inbox_id: inboxId }, 'channel listener stop failed'))
    if (release && (await redis.get(this.#key(inboxId))) === this.#owner) await redis.del(this.#key(inboxId))
  }

  #key(inboxId: number) {
    return `channel-listener:${inboxId}`
  }

  async #claim(inboxId: number) {
    return (await redis.set(this.#key(inboxId), this.#owner, 'PX', CLAIM_MS, 'NX')) === 'OK'
  }

  async #renew(inboxId: number) {
    if ((await redis.get(this.#key(inboxId))) !== this.#owner) return false
    await redis.pexpire(this.#key(inboxId), CLAIM_MS)
    return true
  }
}

const channelListeners = new ChannelListenerService()
export default channelListeners
