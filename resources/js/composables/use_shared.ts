import { computed } from 'vue'
import { usePage } from '@inertiajs/vue3'
import { useI18n } from 'vue-i18n'

export interface SharedProps {
  locale: 'pt-BR' | 'en'
  user: { id: number; name: string; email: string; isSuperadmin: boolean; locale: string; theme: string; notificationSound: boolean } | null
  memberships: { providerId: number; providerName: string; role: 'admin' | 'supervisor' | 'agent' }[]
  currentProviderId: number | null
  errors: Record<string, string>
  flash: { success?: string; error?: string }
  /** Optional parts of this installation. */
  features?: { simulator: boolean }
}

/** The props every page gets from the server (see InertiaMiddleware), typed, plus translation. */
export function useShared() {
  const page = usePage<SharedProps & Record<string, unknown>>()
  const { t } = useI18n()
  const shared = computed(() => page.props)
  const membership = computed(() => shared.value.memberships.find((m) => m.providerId === shared.value.currentProviderId) ?? null)
  /** A flash or error value is a message key ("auth.invalidCredentials") or already a sentence. */
  const say = (key?: string) => (key ? (key.includes(' ') ? key : t(`web.${key}`)) : '')
  return { shared, membership, t, say }
}
