import type Provider from '#models/provider'
import type User from '#models/user'
import type Membership from '#models/membership'

/**
 * What the API shows of each core resource: explicit fields, camelCase, integer ids, ISO dates, never
 * a password or a secret.
 */
export function presentUser(user: User) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    isSuperadmin: user.isSuperadmin,
    locale: user.locale,
    theme: user.theme,
    notificationSound: user.notificationSound,
  }
}

export function presentProvider(provider: Provider) {
  return {
    id: provider.id,
    name: provider.name,
    legalName: provider.legalName,
    document: provider.document,
    site: provider.site,
    email: provider.email,
    phone: provider.phone,
    address: provider.address,
    timezone: provider.timezone,
    locale: provider.locale,
    businessHours: provider.businessHours,
    plans: provider.plans,
    fees: provider.fees,
    documents: provider.documents,
    persona: provider.persona,
    settings: provider.settings,
    suspended: provider.isSuspended,
    suspendedAt: provider.suspendedAt?.toISO() ?? null,
    createdAt: provider.createdAt?.toISO() ?? null,
  }
}

export function presentMember(membership: Membership & { user: User }) {
  return {
    userId: membership.userId,
    name: membership.user.name,
    email: membership.user.email,
    role: membership.role,
    lastSeenAt: membership.user.lastSeenAt?.toISO() ?? null,
    createdAt: membership.createdAt?.toISO() ?? null,
  }
}
