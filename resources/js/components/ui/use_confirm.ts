import { ref } from 'vue'

/**
 * `await confirm({...})` instead of window.confirm: the page's <ConfirmDialog> shows the question
 * (accessible, themed, translatable) and the promise says what the person chose.
 */
export interface ConfirmRequest {
  title: string
  message: string
  confirmLabel: string
  danger?: boolean
}

const pending = ref<(ConfirmRequest & { resolve: (ok: boolean) => void }) | null>(null)

export function useConfirm() {
  function confirm(request: ConfirmRequest) {
    pending.value?.resolve(false)
    return new Promise<boolean>((resolve) => {
      pending.value = { ...request, resolve }
    })
  }
  function answer(ok: boolean) {
    pending.value?.resolve(ok)
    pending.value = null
  }
  return { pending, confirm, answer }
}
