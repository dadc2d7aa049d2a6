import { readonly, ref } from 'vue'
import { onConnectionState, type ConnectionState } from '~/lib/realtime'

/* One state for the tab, as there is one connection: followed from the first page that asks, for good. */
const state = ref<ConnectionState>('connecting')
let following = false
/** A drop shorter than this (a proxy recycling the stream) is not worth alarming anyone. */
const REPORT_DROP_AFTER_MS = 1500
let pendingDrop: ReturnType<typeof setTimeout> | undefined

/** Whether realtime updates are arriving now (`live`) or the connection is being re-established. */
export function useConnectionState() {
  if (!following) {
    following = true
    onConnectionState((next) => {
      clearTimeout(pendingDrop)
      if (next === 'reconnecting') pendingDrop = setTimeout(() => (state.value = next), REPORT_DROP_AFTER_MS)
      else state.value = next
    })
  }
  return readonly(state)
}
