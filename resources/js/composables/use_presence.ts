import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import { api } from '~/lib/api'
import { listen } from '~/lib/realtime'

/** How often the app says "still here"; the server forgets a member 90 s after the last one. */
const HEARTBEAT_MS = 30_000

/**
 * Keeps the signed-in member's presence (online while the tab is visible, away when hidden) and the
 * count of unread internal-chat messages, live. Used by the app frame, so it runs on every page.
 */
export function usePresence(providerId: Ref<number | null>, userId: Ref<number | null>) {
  const unread = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined
  let stopListening: (() => void) | undefined

  const beat = (status: 'online' | 'away' | 'offline') =>
    providerId.value ? api(`/providers/${providerId.value}/presence`, { method: 'POST', body: { status } }).catch(() => {}) : undefined
  const current = () => (document.visibilityState === 'visible' ? 'online' : 'away')
  const onVisibility = () => void beat(current())

  async function refreshUnread() {
    if (!providerId.value) return
    const counts = await api<{ total: number }>(`/providers/${providerId.value}/staff-messages/unread`).catch(() => null)
    if (counts) unread.value = counts.total
  }

  function start() {
    stop()
    if (!providerId.value || !userId.value) return
    void beat(current())
    timer = setInterval(() => void beat(current()), HEARTBEAT_MS)
    void refreshUnread()
    stopListening = listen(`users/${userId.value}`, (frame) => {
      if (frame.event.startsWith('staff.') && frame.payload.providerId === providerId.value) void refreshUnread()
    })
  }
  function stop() {
    clearInterval(timer)
    stopListening?.()
  }

  onMounted(() => {
    start()
    document.addEventListener('visibilitychange', onVisibility)
  })
  onBeforeUnmount(() => {
    stop()
    document.removeEventListener('visibilitychange', onVisibility)
  })
  watch(providerId, start)
  return { unread, refreshUnread }
}
