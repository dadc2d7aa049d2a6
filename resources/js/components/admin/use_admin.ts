import { computed, ref } from 'vue'
import { useShared } from '~/composables/use_shared'
import { api, ApiFailure } from '~/lib/api'
import { useToast } from '~/components/ui/use_toast'
import { useConfirm } from '~/components/ui/use_confirm'

/**
 * What every admin page does: call the provider's API, toast the outcome, and keep the API's
 * validation errors by field (`{ errors: [{ field, message }] }`) for the form to show in place.
 */
export function useAdmin() {
  const { shared, t } = useShared()
  const toast = useToast()
  const { confirm } = useConfirm()
  const providerId = computed(() => shared.value.currentProviderId)
  const base = computed(() => `/providers/${providerId.value}`)
  const errors = ref<Record<string, string>>({})
  const busy = ref(false)

  /** Calls `…/providers/:id<path>`; on success toasts `done` (a message key) when given. */
  async function call<T = any>(path: string, init: { method?: string; body?: unknown } = {}, done?: string): Promise<T | null> {
    return request<T>(`${base.value}${path}`, init, done)
  }

  /** Same, for a path outside the provider (`/providers` for the superadmin). */
  async function request<T = any>(path: string, init: { method?: string; body?: unknown } = {}, done?: string): Promise<T | null> {
    const writing = Boolean(init.method && init.method !== 'GET')
    if (writing) {
      busy.value = true
      errors.value = {}
    }
    try {
      const result = await api<T>(path, init)
      if (writing) toast.clearErrors()
      if (done) toast.success(t(done))
      return (result ?? (true as T)) as T
    } catch (error) {
      if (error instanceof ApiFailure) {
        errors.value = Object.fromEntries(error.errors.filter((e) => e.field).map((e) => [e.field!, e.message]))
        const known: Record<number, string> = { 403: 'admin.ui.forbidden', 404: 'admin.ui.notFound', 422: 'admin.ui.invalid' }
        // A 422 without a field (a rule of the domain) says what is wrong; with fields they are shown in place.
        const fieldless = error.status === 422 && !error.errors.some((e) => e.field)
        toast.error(known[error.status] && !fieldless ? t(known[error.status]) : error.message || t('admin.ui.failed'))
      } else {
        toast.error(t('admin.ui.failed'))
      }
      return null
    } finally {
      if (writing) busy.value = false
    }
  }

  /** Asks before deleting `name`; true when the person confirmed. */
  const confirmDelete = (name: string) =>
    confirm({ title: t('admin.ui.confirmTitle'), message: t('admin.ui.confirmDelete', { name }), confirmLabel: t('admin.delete') })

  /** Config fields left empty are not sent: a saved secret stays as it is. */
  const filled = (config: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(config).filter(([, value]) => value !== '' && value !== null && value !== undefined))

  return { shared, providerId, base, call, request, errors, busy, filled, confirm, confirmDelete, toast, t }
}
