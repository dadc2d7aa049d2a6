import type Inbox from '#models/inbox'
import { webhookUrlOf, type WebhookRegistration } from '#services/inbox_service'

const iso = (value: { toISO(): string | null } | null | undefined) => value?.toISO() ?? null

/**
 * An inbox as the API shows it. `config` (secrets already masked by the caller) only for admins;
 * the webhook URL carries the inbox's unguessable key, so it is shown to admins only too.
 */
export function presentInbox(
  inbox: Inbox,
  options: { maskedConfig?: Record<string, unknown>; webhook?: WebhookRegistration } = {}
) {
  const admin = options.maskedConfig !== undefined
  return {
    id: inbox.id,
    name: inbox.name,
    plugin: inbox.pluginId,
    status: inbox.status,
    statusDetail: inbox.statusDetail,
    statusAt: iso(inbox.statusAt),
    enableGroups: inbox.enableGroups,
    defaultTeamId: inbox.defaultTeamId,
    createdAt: iso(inbox.createdAt),
    updatedAt: iso(inbox.updatedAt),
    ...(admin ? { webhookUrl: webhookUrlOf(inbox), config: options.maskedConfig } : {}),
    ...(options.webhook ? { webhook: options.webhook } : {}),
  }
}
