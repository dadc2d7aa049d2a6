import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import Inbox from '#models/inbox'
import Contact from '#models/contact'
import Team from '#models/team'
import Conversation from '#models/conversation'

/** Rows the insights tests need, inserted directly: the workflow that normally creates them is elsewhere. */
export async function createInbox(providerId: number, name = 'WhatsApp', pluginId = 'uazapi') {
  return Inbox.create({
    providerId,
    name,
    pluginId,
    config: '{}',
    webhookKey: randomBytes(16).toString('hex'),
    status: 'connected',
    enableGroups: false,
    state: {},
  })
}

export async function createContact(providerId: number, name = 'Maria Cliente') {
  return Contact.create({ providerId, name, phone: `55119${randomBytes(4).readUInt32BE() % 100_000_000}`, customAttributes: {} })
}

export async function createTeam(providerId: number, name = 'Suporte') {
  return Team.create({ providerId, name })
}

/** A conversation row with explicit timestamps (ISO strings, UTC) and flags. */
export async function insertConversation(values: {
  providerId: number
  inboxId: number
  contactId: number
  status: string
  createdAt: string
  assigneeId?: number | null
  teamId?: number | null
  firstCustomerMessageAt?: string | null
  firstResponseAt?: string | null
  handedOverAt?: string | null
  firstHumanResponseAt?: string | null
  resolvedAt?: string | null
  resolvedByKind?: string | null
  resolvedById?: number | null
  hadHuman?: boolean
  transferCount?: number
  lastActivityAt?: string
  isGroup?: boolean
}): Promise<number> {
  const [row] = await db
    .table('conversations')
    .insert({
      provider_id: values.providerId,
      inbox_id: values.inboxId,
      contact_id: values.contactId,
      status: values.status,
      assignee_id: values.assigneeId ?? null,
      team_id: values.teamId ?? null,
      first_customer_message_at: values.firstCustomerMessageAt ?? null,
      first_response_at: values.firstResponseAt ?? null,
      handed_over_at: values.handedOverAt ?? null,
      first_human_response_at: values.firstHumanResponseAt ?? null,
      resolved_at: values.resolvedAt ?? null,
      resolved_by_kind: values.resolvedByKind ?? null,
      resolved_by_id: values.resolvedById ?? null,
      had_human: values.hadHuman ?? false,
      transfer_count: values.transferCount ?? 0,
      is_group: values.isGroup ?? false,
      last_activity_at: values.lastActivityAt ?? values.resolvedAt ?? values.createdAt,
      created_at: values.createdAt,
      updated_at: values.createdAt,
    })
    .returning('id')
  return Number(row.id ?? row)
}

export async function insertMessage(values: {
  providerId: number
  conversationId: number
  inboxId: number
  direction: 'in' | 'out'
  senderKind: 'customer' | 'agent' | 'ai' | 'system'
  createdAt: string
  private?: boolean
  content?: string
}) {
  await db.table('messages').insert({
    provider_id: values.providerId,
    conversation_id: values.conversationId,
    inbox_id: values.inboxId,
    direction: values.direction,
    sender_kind: values.senderKind,
    content: values.content ?? 'texto',
    private: values.private ?? false,
    status: values.direction === 'in' ? 'received' : 'sent',
    created_at: values.createdAt,
    updated_at: values.createdAt,
  })
}

export async function insertSurvey(values: {
  providerId: number
  conversationId: number
  inboxId: number
  contactId: number
  status: string
  agentId?: number | null
  teamId?: number | null
  sentAt?: string | null
  answeredAt?: string | null
  rating?: number | null
  answerText?: string | null
  answerSource?: string | null
  feedback?: string | null
}) {
  await db.table('csat_surveys').insert({
    provider_id: values.providerId,
    conversation_id: values.conversationId,
    inbox_id: values.inboxId,
    contact_id: values.contactId,
    agent_id: values.agentId ?? null,
    team_id: values.teamId ?? null,
    status: values.status,
    scheduled_for: values.sentAt ?? new Date().toISOString(),
    sent_at: values.sentAt ?? null,
    answered_at: values.answeredAt ?? null,
    rating: values.rating ?? null,
    answer_text: values.answerText ?? null,
    answer_source: values.answerSource ?? null,
    feedback: values.feedback ?? null,
  })
}

/** A resolved conversation ready for CSAT, as the workflow leaves it. */
export async function resolvedConversation(providerId: number, options: { inboxId?: number; isGroup?: boolean } = {}) {
  const inboxId = options.inboxId ?? (await createInbox(providerId)).id
  const contact = await createContact(providerId)
  const now = new Date().toISOString()
  const id = await insertConversation({
    providerId,
    inboxId,
    contactId: contact.id,
    status: 'resolved',
    createdAt: now,
    resolvedAt: now,
    resolvedByKind: 'ai',
    isGroup: options.isGroup,
  })
  return Conversation.findOrFail(id)
}
