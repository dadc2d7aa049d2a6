import { Transmit } from '@adonisjs/transmit-client'

/**
 * One Transmit connection per tab, shared by every page and component. Frames are what the server's
 * realtime service broadcasts: `{ seq, event, payload, at }`.
 */
export interface RealtimeFrame<P = Record<string, any>> {
  seq: number
  event: string
  payload: P
  at: string
}

let client: Transmit | null = null
/*
 * Transmit hands out one subscription per channel: it is deleted a little after its last listener
 * leaves, so moving between pages (the old page leaves, the new one listens again) keeps it open
 * instead of racing an unsubscribe against a subscribe.
 */
const listeners = new Map<string, number>()
const pendingDeletes = new Map<string, ReturnType<typeof setTimeout>>()
const DELETE_AFTER_MS = 5_000

function connection() {
  client ??= new Transmit({ baseUrl: window.location.origin })
  return client
}

/** Per channel: settles once the server has the subscription (or refused it). */
const created = new Map<string, Promise<void>>()

/**
 * Listens on a channel until the returned function is called; a refused channel only logs. `onReady`
 * runs once the server has the subscription: frames broadcast before that moment never reach this tab,
 * so a page asks the catch-up endpoint for them then.
 */
export function listen(channel: string, onFrame: (frame: RealtimeFrame) => void, onReady?: () => void): () => void {
  const subscription = connection().subscription(channel)
  const stop = subscription.onMessage<RealtimeFrame>(onFrame)
  const count = listeners.get(channel) ?? 0
  listeners.set(channel, count + 1)
  const pending = pendingDeletes.get(channel)
  if (pending) {
    clearTimeout(pending)
    pendingDeletes.delete(channel)
  } else if (count === 0) {
    created.set(
      channel,
      subscription.create().catch((error: unknown) => console.warn(`realtime: cannot subscribe to ${channel}`, error))
    )
  }
  let stopped = false
  if (onReady) void (created.get(channel) ?? Promise.resolve()).then(() => !stopped && onReady())
  return () => {
    if (stopped) return
    stopped = true
    stop()
    const left = (listeners.get(channel) ?? 1) - 1
    listeners.set(channel, left)
    if (left > 0) return
    pendingDeletes.set(
      channel,
      setTimeout(() => {
        pendingDeletes.delete(channel)
        if ((listeners.get(channel) ?? 0) === 0 && !subscription.isDeleted) {
          created.delete(channel)
          void subscription.delete().catch(() => {})
        }
      }, DELETE_AFTER_MS)
    )
  }
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting'

/** Follows the shared connection: live once the stream is open, reconnecting while it is down. */
export function onConnectionState(callback: (state: ConnectionState) => void): () => void {
  const live = () => callback('live')
  const down = () => callback('reconnecting')
  const transmit = connection()
  transmit.on('connected', live)
  transmit.on('disconnected', down)
  transmit.on('reconnecting', down)
  return () => {
    transmit.off('connected', live)
    transmit.off('disconnected', down)
    transmit.off('reconnecting', down)
  }
}

/**
 * Calls `callback` each time the shared connection is established again after a drop (not on the first
 * connection), so a page can fetch what it missed (`GET …/events?since=`). Returns a function to stop.
 */
export function onReconnected(callback: () => void): () => void {
  let dropped = false
  return onConnectionState((state) => {
    if (state === 'reconnecting') dropped = true
    else if (dropped) {
      dropped = false
      callback()
    }
  })
}
