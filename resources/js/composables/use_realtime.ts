import { onBeforeUnmount, watch } from 'vue'
import { api, ApiFailure } from '~/lib/api'
import { listen, onReconnected, type RealtimeFrame } from '~/lib/realtime'

export interface RealtimeOptions {
  /** `/providers/:id`: where `GET …/events?since=` lives; null while there is no provider. */
  base: () => string | null
  /** The channels to follow now; re-read when it changes (subscribes and unsubscribes the difference). */
  channels: () => string[]
  onFrame: (frame: RealtimeFrame, channel: string) => void
  /** What was missed is gone from the server (410): the page must reload its data instead. */
  onStale?: () => void
}

/** How long after a reconnection to ask what was missed: Transmit re-creates subscriptions first. */
const CATCH_UP_DELAY_MS = 400

/**
 * Follows realtime channels and never silently misses an update: it remembers the newest sequence
 * number seen and, when the connection comes back after a drop, asks `GET …/events?since=<seq>` for
 * what happened meanwhile on the channels it follows, handing those frames to `onFrame` like live ones.
 * A frame seen both ways is handed over once.
 */
export function useRealtime(options: RealtimeOptions) {
  const active = new Map<string, () => void>()
  const handled = new Set<string>()
  let lastSeq: number | null = null
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  function deliver(frame: RealtimeFrame, channel: string) {
    // seq 0: passing state (typing), never stored, so never caught up twice.
    if (frame.seq) {
      const key = `${channel}|${frame.seq}|${frame.event}`
      if (handled.has(key)) return
      handled.add(key)
      if (handled.size > 2000) handled.delete(handled.values().next().value as string)
    }
    // A user's channel also carries other providers' events, numbered by those providers.
    if (channel.startsWith('providers/') && Number.isFinite(frame.seq)) lastSeq = Math.max(lastSeq ?? 0, frame.seq)
    options.onFrame(frame, channel)
  }

  function sync(names: string[]) {
    const wanted = new Set(names)
    for (const [name, stop] of active) {
      if (!wanted.has(name)) {
        stop()
        active.delete(name)
      }
    }
    for (const name of wanted) {
      if (!active.has(name)) active.set(name, listen(name, (frame) => deliver(frame, name), whenSubscribed))
    }
  }

  async function head() {
    const base = options.base()
    if (!base || lastSeq !== null) return
    const page = await api<{ meta: { lastSeq: number } }>(`${base}/events`).catch(() => null)
    if (page && lastSeq === null) lastSeq = page.meta.lastSeq
  }

  /** Everything after the newest frame seen, page by page, on the channels followed now. */
  async function catchUp() {
    const base = options.base()
    if (!base || lastSeq === null || stopped) return
    try {
      for (let pages = 0; pages < 50; pages++) {
        const page = await api<{ data: (RealtimeFrame & { channel: string })[]; meta: { nextCursor: string | null; lastSeq: number } }>(
          `${base}/events?since=${lastSeq}&limit=100`
        )
        for (const frame of page.data) if (active.has(frame.channel)) deliver(frame, frame.channel)
        lastSeq = Math.max(lastSeq ?? 0, page.meta.lastSeq)
        if (!page.meta.nextCursor) return
      }
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 410) options.onStale?.()
    }
  }

  /*
   * What happened between the page loading its data and the server holding the new subscriptions was
   * broadcast to nobody here: once they are held (several at a time, hence the short wait), ask for it.
   */
  let readyTimer: ReturnType<typeof setTimeout> | undefined
  function whenSubscribed() {
    clearTimeout(readyTimer)
    readyTimer = setTimeout(() => void headLoaded.then(catchUp), 50)
  }

  const headLoaded = head()
  const stopWatch = watch(options.channels, (names) => sync(names), { immediate: true })
  const stopReconnect = onReconnected(() => {
    clearTimeout(timer)
    timer = setTimeout(() => void catchUp(), CATCH_UP_DELAY_MS)
  })

  function stop() {
    stopped = true
    clearTimeout(timer)
    clearTimeout(readyTimer)
    stopWatch()
    stopReconnect()
    sync([])
  }
  onBeforeUnmount(stop)
  return { stop, catchUp }
}
