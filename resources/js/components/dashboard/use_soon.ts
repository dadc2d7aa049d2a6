import { onBeforeUnmount } from 'vue'

/**
 * Runs `work` once per burst of events: each call says how soon it wants it; calls meanwhile ride on
 * the pending run, and only a more urgent one moves it earlier. The live pages refetch through this,
 * so a busy minute costs a few queries, not one per event.
 */
export function useSoon(work: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let due = Number.POSITIVE_INFINITY
  function soon(ms: number) {
    const at = Date.now() + ms
    if (timer && at >= due) return
    clearTimeout(timer)
    due = at
    timer = setTimeout(() => {
      timer = undefined
      due = Number.POSITIVE_INFINITY
      work()
    }, ms)
  }
  onBeforeUnmount(() => clearTimeout(timer))
  return soon
}
