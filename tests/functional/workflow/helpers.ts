import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import Inbox from '#models/inbox'
import Contact from '#models/contact'
import Team from '#models/team'
import TeamMember from '#models/team_member'
import Conversation, { type ConversationStatus } from '#models/conversation'
import Message from '#models/message'
import type Provider from '#models/provider'

/** Rows the workflow tests start from; conversations normally come from the channel ingest. */
export async function createInbox(providerId: number, name = 'WhatsApp') {
  return Inbox.create({
    providerId,
    name,
    pluginId: 'uazapi',
    config: '{}',
    webhookKey: randomBytes(16).toString('hex'),
    status: 'connected',
    enableGroups: false,
    state: {},
  })
}

export async function createContact(providerId: number, values: Partial<Contact> = {}) {
  return Contact.create({
    providerId,
    name: 'Maria Cliente',
    phone: `55119${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`,
    customAttributes: {},
    ...values,
  })
}

export async function createTeam(providerId: number, name = 'Suporte', memberIds: number[] = [], values: Partial<Team> = {}) {
  const team = await Team.create({ providerId, name, ...values })
  for (const userId of memberIds) await TeamMember.create({ providerId, teamId: team.id, userId })
  return team
}

let minutes = 0
/** A conversation with its own contact; each one created later has later activity. */
export async function createConversation(
  provider: Provider,
  values: { status?: ConversationStatus; assigneeId?: number | null; teamId?: number | null; inboxId?: number; contactId?: number; labels?: string[]; lastActivityAt?: DateTime; snoozedUntil?: DateTime } = {}
) {
  const inboxId = values.inboxId ?? (await createInbox(provider.id)).id
  const contactId = values.contactId ?? (await createContact(provider.id)).id
  minutes++
  return Conversation.create({
    providerId: provider.id,
    inboxId,
    contactId,
    status: values.status ?? 'pending',
    assigneeId: values.assigneeId ?? null,
    teamId: values.teamId ?? null,
    labels: values.labels ?? [],
    lastActivityAt: values.lastActivityAt ?? DateTime.fromISO('2026-01-01T00:00:00Z').plus({ minutes }),
    unreadCount: 2,
    snoozedUntil: values.snoozedUntil ?? null,
  })
}

export async function addMessage(conversation: Conversation, content: string) {
  return Message.create({
    providerId: conversation.providerId,
    conversationId: conversation.id,
    inboxId: conversation.inboxId,
    direction: 'in',
    senderKind: 'customer',
    type: 'text',
    content,
    status: 'received',
    reactions: [],
    metadata: {},
  })
}

export const url = (providerId: number, path = '') => `/api/v1/providers/${providerId}${path}`
