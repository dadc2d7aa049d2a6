import { ref } from 'vue'

/**
 * Short notices after an action ("Salvo.", an API error). A module-level list so any component can
 * push one and the single <Toaster> of the page shows it.
 */
export interface Toast {
  id: number
  kind: 'success' | 'error'
  text: string
}

const toasts = ref<Toast[]>([])
let next = 1

function push(kind: Toast['kind'], text: string, ms = kind === 'error' ? 8000 : 4000) {
  const id = next++
  toasts.value = [...toasts.value, { id, kind, text }]
  setTimeout(() => dismiss(id), ms)
  return id
}

function dismiss(id: number) {
  toasts.value = toasts.value.filter((toast) => toast.id !== id)
}

/** An error that has been fixed (the next save worked) should not stay on screen. */
function clearErrors() {
  toasts.value = toasts.value.filter((toast) => toast.kind !== 'error')
}

export function useToast() {
  return {
    toasts,
    dismiss,
    clearErrors,
    success: (text: string) => push('success', text),
    error: (text: string) => push('error', text),
  }
}
