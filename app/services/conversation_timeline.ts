import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Conversation from '#models/conversation'
import Message from '#models/message'
import Team from '#models/team'
import User from '#models/user'
import { channels } from '#realtime/channels'
import realtime from '#services/realtime_service'
import { presentConversation } from '#transformers/workflow_presenters'
import { presentMessage } from '#transformers/message_presenter'

export type TimelineKind = 'taken' | 'assigned' | 'transferred' | 'resolved' | 'reopened'

const KINDS: Record<string, TimelineKind> = {
  'conversation.taken': 'taken',
  'conversation.assigned': 'assigned',
  'conversation.transferred': 'transferred',
  'conversation.resolved': 'resolved',
  'conversation.reopened': 'reopened',
}

/** The workflow action names that leave a line in the conversation's history. */
export const timelineKindOf = (action: string | null) => (action ? KINDS[action] : undefined)

/**
 * A line in the conversation's history saying who took, assigned, transferred, resolved or reopened
 * it, so whoever opens the conversation later sees what happened between the messages. Stored as a
 * private system event (never sent to the customer, not the conversation's last activity) with its
 * facts in `metadata.event`, which the inbox renders in the reader's language; `content` is the
 * English fallback for API clients. Pushed on the conversation's channel like a private note.
 */
export async function recordTimelineEvent(
  trx: TransactionClientContract,
  conversation: Conversation,
  kind: TimelineKind,
  by: { userId?: number | null; kind?: 'agent' | 'ai' | 'inactivity' | 'system' }
) {
  const [actor, assignee, team] = await Promise.all([
    by.userId ? User.find(by.userId, { client: trx }) : null,
    conversation.assigneeId ? User.find(conversation.assigneeId, { client: trx }) : null,
    conversation.teamId ? Team.query({ client: trx }).where({ providerId: conversation.providerId, id: conversation.teamId }).first() : null,
  ])
  const event = {
    kind,
    by: by.kind ?? 'agent',
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? null,
    assigneeId: assignee?.id ?? null,
    assigneeName: assignee?.name ?? null,
    teamId: team?.id ?? null,
    teamName: team?.name ?? null,
    toBot: conversation.status === 'bot',
    reason: kind === 'resolved' ? conversation.resolutionReason : null,
  }
  const message = await Message.create(
    {
      providerId: conversation.providerId,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      direction: 'out',
      senderKind: 'system',
      senderId: actor?.id ?? null,
      senderName: actor?.name ?? null,
      type: 'event',
      content: describe(event),
      private: true,
      status: 'sent',
      reactions: [],
      metadata: { event },
    },
    { client: trx }
  )
  await realtime.publish(
    {
      providerId: conversation.providerId,
      audience: channels.conversation(conversation.providerId, conversation.id),
      event: 'message.created',
      payload: { message: presentMessage(message), conversation: presentConversation(conversation) },
    },
    trx
  )
  return message
}

function describe(event: { kind: TimelineKind; by: string; actorName: string | null; assigneeName: string | null; teamName: string | null; toBot: boolean; reason: string | null }) {
  const who = event.actorName ?? (event.by === 'ai' ? 'The AI' : 'The system')
  switch (event.kind) {
    case 'taken':
      return `${who} took the conversation`
    case 'assigned':
      return `${who} assigned the conversation to ${event.assigneeName}`
    case 'transferred':
      return `${who} transferred the conversation to ${event.toBot ? 'the AI' : (event.assigneeName ?? event.teamName)}`
    case 'resolved':
      return `${who} resolved the conversation${event.reason ? `: ${event.reason}` : ''}`
    case 'reopened':
      return `${who} reopened the conversation`
  }
}
