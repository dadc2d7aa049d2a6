import type Conversation from '#models/conversation'
import type Contact from '#models/contact'
import type ContactIdentity from '#models/contact_identity'
import type Team from '#models/team'
import type CannedResponse from '#models/canned_response'
import type StaffMessage from '#models/staff_message'
import type AuditLog from '#models/audit_log'
import type RealtimeEvent from '#models/realtime_event'
import type User from '#models/user'

/**
 * What the API and the realtime payloads show of the agent workflow's resources: explicit fields,
 * camelCase, integer ids, ISO dates.
 */

const iso = (value: { toISO(): string | null } | null | undefined) => value?.toISO() ?? null

export function presentPerson(user: Pick<User, 'id' | 'name'> | null | undefined) {
  return user ? { id: user.id, name: user.name } : null
}

/** The list row and realtime payload of a conversation. Relations are shown when preloaded. */
export function presentConversation(conversation: Conversation) {
  const related = conversation.$preloaded as Record<string, any>
  return {
    id: conversation.id,
    inboxId: conversation.inboxId,
    contactId: conversation.contactId,
    status: conversation.status,
    assigneeId: conversation.assigneeId,
    teamId: conversation.teamId,
    priority: conversation.priority,
    labels: conversation.labels ?? [],
    isGroup: conversation.isGroup,
    snoozedUntil: iso(conversation.snoozedUntil),
    handoverReason: conversation.handoverReason,
    unreadCount: conversation.unreadCount,
    transferCount: conversation.transferCount,
    hadHuman: conversation.hadHuman,
    lastMessagePreview: conversation.lastMessagePreview,
    lastActivityAt: iso(conversation.lastActivityAt),
    firstResponseAt: iso(conversation.firstResponseAt),
    resolvedAt: iso(conversation.resolvedAt),
    resolvedByKind: conversation.resolvedByKind,
    resolutionReason: conversation.resolutionReason,
    createdAt: iso(conversation.createdAt),
    ...(related.contact ? { contact: presentContactSummary(related.contact) } : {}),
    ...(related.assignee !== undefined ? { assignee: presentPerson(related.assignee) } : {}),
    ...(related.team !== undefined ? { team: related.team ? { id: related.team.id, name: related.team.name } : null } : {}),
  }
}

/** The detail view adds what the side panel shows. */
export function presentConversationDetail(conversation: Conversation) {
  const related = conversation.$preloaded as Record<string, any>
  return {
    ...presentConversation(conversation),
    handoverSummary: conversation.handoverSummary,
    handedOverAt: iso(conversation.handedOverAt),
    firstCustomerMessageAt: iso(conversation.firstCustomerMessageAt),
    firstHumanResponseAt: iso(conversation.firstHumanResponseAt),
    resolvedById: conversation.resolvedById,
    ...(related.inbox ? { inbox: { id: related.inbox.id, name: related.inbox.name, pluginId: related.inbox.pluginId } } : {}),
  }
}

export function presentContactSummary(contact: Contact) {
  return { id: contact.id, name: contact.name, phone: contact.phone, email: contact.email, avatarUrl: contact.avatarUrl }
}

export function presentContact(contact: Contact, identities?: ContactIdentity[]) {
  return {
    ...presentContactSummary(contact),
    document: contact.document,
    customAttributes: contact.customAttributes ?? {},
    lastActivityAt: iso(contact.lastActivityAt),
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
    ...(identities ? { identities: identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value })) } : {}),
  }
}

export function presentTeam(team: Team, members?: { id: number; name: string }[]) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    autoAssign: team.autoAssign,
    maxOpenPerAgent: team.maxOpenPerAgent,
    createdAt: iso(team.createdAt),
    ...(members ? { members } : {}),
  }
}

export function presentCannedResponse(canned: CannedResponse) {
  return {
    id: canned.id,
    shortcut: canned.shortcut,
    content: canned.content,
    createdById: canned.createdById,
    createdAt: iso(canned.createdAt),
    updatedAt: iso(canned.updatedAt),
  }
}

export function presentStaffMessage(message: StaffMessage) {
  return {
    id: message.id,
    senderId: message.senderId,
    recipientId: message.recipientId,
    content: message.content,
    readAt: iso(message.readAt),
    createdAt: iso(message.createdAt),
  }
}

export function presentAuditLog(log: AuditLog) {
  return {
    id: log.id,
    userId: log.userId,
    actorKind: log.actorKind,
    action: log.action,
    targetType: log.targetType,
    targetId: log.targetId,
    before: log.before,
    after: log.after,
    ip: log.ip,
    createdAt: iso(log.createdAt),
  }
}

/** The same frame the SSE stream carries, plus the channel it was sent on. */
export function presentRealtimeEvent({ event, channel }: { event: RealtimeEvent; channel: string }) {
  return {
    seq: Number(event.seq),
    channel,
    event: event.event,
    payload: event.payload,
    at: iso(event.createdAt),
  }
}
