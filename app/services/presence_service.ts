import redis from '@adonisjs/redis/services/main'
import Membership from '#models/membership'
import { channels } from '#realtime/channels'
import realtime from '#services/realtime_service'
import { currentLogger } from '#services/logging'

export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number]

/** A client that stops sending heartbeats counts as offline after this long. */
export const PRESENCE_TTL_MS = 90_000

const keyOf = (providerId: number, userId: number) => `presence:${providerId}:${userId}`
/** When each present member's key expires (`<providerId>:<userId>` → ms), so the sweep can announce it. */
const EXPIRIES = 'presence:expiries'

/**
 * Who is online, per provider: one Redis key per member holding `online` or `away`, which expires
 * when the heartbeats stop (the web app sends one every ~30 s). A change of status is pushed on the
 * provider's presence channel, and coming online hands out waiting conversations of auto-assign teams.
 * Redis does not say when a key expires, so the worker's sweep announces members whose heartbeats
 * stopped (a closed laptop) as offline.
 */
export class PresenceService {
  /** A heartbeat: stores the status with a fresh TTL, announces it when it changed. */
  async heartbeat(providerId: number, userId: number, status: PresenceStatus): Promise<{ changed: boolean }> {
    const key = keyOf(providerId, userId)
    const previous =
      status === 'offline'
        ? await redis.getdel(key)
        : await redis.set(key, status, 'PX', PRESENCE_TTL_MS, 'GET')
    const changed = (previous ?? 'offline') !== status
    if (status === 'offline') await redis.zrem(EXPIRIES, `${providerId}:${userId}`)
    else await redis.zadd(EXPIRIES, Date.now() + PRESENCE_TTL_MS, `${providerId}:${userId}`)
    if (changed) {
      await realtime.publish({
        providerId,
        audience: channels.presence(providerId),
        event: 'presence.updated',
        payload: { userId, status },
      })
      if (status === 'online') {
        // Conversations that waited for someone of this member's auto-assign teams (loaded lazily:
        // assignment reads presence).
        const { default: assignment } = await import('#services/assignment_service')
        await assignment.assignWaiting(providerId, userId)
      }
    }
    return { changed }
  }

  /**
   * Announces as offline every member whose heartbeats stopped before `now`. Several processes may
   * sweep at once: only the one whose ZREM removed the entry announces it.
   */
  async sweepExpired(now = Date.now()): Promise<number> {
    const due = await redis.zrangebyscore(EXPIRIES, '-inf', now)
    let announced = 0
    for (const member of due) {
      const [providerId, userId] = member.split(':').map(Number)
      if (await redis.exists(keyOf(providerId, userId))) continue // a heartbeat came in meanwhile
      if ((await redis.zrem(EXPIRIES, member)) !== 1) continue
      await realtime.publish({ providerId, audience: channels.presence(providerId), event: 'presence.updated', payload: { userId, status: 'offline' } })
      announced++
    }
    return announced
  }

  #timer: NodeJS.Timeout | null = null

  /** The worker's periodic sweep (next to the outbox's). */
  startSweeper(intervalMs = 15_000) {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      this.sweepExpired().catch((error) => currentLogger().warn({ err: error }, 'presence sweep failed'))
    }, intervalMs)
    this.#timer.unref()
  }

  stopSweeper() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  async statusOf(providerId: number, userId: number): Promise<PresenceStatus> {
    return ((await redis.get(keyOf(providerId, userId))) as PresenceStatus | null) ?? 'offline'
  }

  /** Statuses of the given users (missing key = offline). */
  async statusesOf(providerId: number, userIds: number[]): Promise<Map<number, PresenceStatus>> {
    const result = new Map<number, PresenceStatus>()
    if (!userIds.length) return result
    const values = await redis.mget(...userIds.map((id) => keyOf(providerId, id)))
    userIds.forEach((id, index) => result.set(id, (values[index] as PresenceStatus | null) ?? 'offline'))
    return result
  }

  /** Every member of the provider with their status. */
  async list(providerId: number) {
    const memberships = await Membership.query().where('providerId', providerId).preload('user').orderBy('userId')
    const statuses = await this.statusesOf(
      providerId,
      memberships.map((m) => m.userId)
    )
    return memberships.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      role: m.role,
      status: statuses.get(m.userId) ?? 'offline',
    }))
  }
}

const presence = new PresenceService()
export default presence
