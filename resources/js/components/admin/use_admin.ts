import { computed, ref } from 'vue'
import { useShared } from '~/composables/use_shared'
import { api, ApiFailure } from '~/lib/api'

/** What every admin section does: call the API, show success or the API's errors by field. */
export function useAdminCall() {
  const { shared, t } = useShared()
  const base = computed(() => `/providers/${shared.value.currentProviderId}`)
  const errors = ref<Record<string, string>>({})
  const notice = ref('')
  const failure = ref('')
  const busy = ref(false)

  async function call<T = any>(path: string, init: { method?: string; body?: unknown } = {}, done?: string): Promise<T | null> {
    busy.value = true
    errors.value = {}
    failure.value = ''
    notice.value = ''
    try {
      const result = await api<T>(`${base.value}${path}`, init)
      if (done) notice.value = t(done)
      return result
    } catch (error) {
      if (error instanceof ApiFailure) {
        errors.value = Object.fromEntries(error.errors.filter((e) => e.field).map((e) => [e.field!, e.message]))
      }
      failure.value = (error as Error).message
      return null
    } finally {
      busy.value = false
    }
  }

  /** Config fields left empty are not sent: a saved secret stays as it is. */
  const filled = (config: Record<string, unknown>) => Object.fromEntries(Object.entries(config).filter(([, value]) => value !== '' && value !== null && value !== undefined))

  return { base, call, errors, notice, failure, busy, filled, t }
}
