import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ApiError from '#exceptions/api_error'
import Conversation, { type Priority } from '#models/conversation'
import Membership from '#models/membership'
import Team from '#models/team'
import assignment from '#services/assignment_service'
import audit from '#services/audit_service'
import { publishConversationEvent, routingOf } from '#services/conversation_events'
import { recordTimelineEvent, timelineKindOf } from '#services/conversation_timeline'
import { canSeeConversation, type Viewer } from '#services/visibility_service'
import outbox from '#services/outbox_service'

/** Who acts on a conversation: a member seen through the visibility rule, and the request's IP. */
export interface WorkflowActor {
  viewer: Viewer
  ip?: string | null
}

export type TransferTarget = { teamId: number } | { agentId: number } | { to: 'bot' }

/* -----------------------------------------------------------------------------------------------
 * Hook points: other parts of the app react to a resolution or a reopening inside the same
 * transaction (e.g. the CSAT survey is scheduled with the resolution and rolls back with it).
 * --------------------------------------------------------------------------------------------- */

export type ConversationListener = (conversation: Conversation, trx: TransactionClientContract) => Promise<unknown>

class ConversationHooks {
  #resolved = new Set<ConversationListener>()
  #reopened = new Set<ConversationListener>()

  /** Called once per resolution, inside the resolving transaction. Returns an unsubscribe function. */
  onResolved(listener: ConversationListener) {
    this.#resolved.add(listener)
    return () => this.#resolved.delete(listener)
  }

  /** Called when a resolved conversation is reopened, inside the transaction. */
  onReopened(listener: ConversationListener) {
    this.#reopened.add(listener)
    return () => this.#reopened.delete(listener)
  }

  async runResolved(conversation: Conversation, trx: TransactionClientContract) {
    for (const listener of this.#resolved) await listener(conversation, trx)
  }

  async runReopened(conversation: Conversation, trx: TransactionClientContract) {
    for (const listener of this.#reopened) await listener(conversation, trx)
  }
}

export const conversationHooks = new ConversationHooks()

/* -----------------------------------------------------------------------------------------------
 * The workflow
 * --------------------------------------------------------------------------------------------- */

/**
 * Everything an agent does to a conversation besides writing in it: take, assign, transfer, resolve,
 * reopen, snooze, labels, priority, read. Each change is stored under a row lock, audited and pushed in
 * one transaction. The AI answers only `bot` conversations, so moving a conversation out of `bot`
 * (take, assign, transfer to people) is what stops it: a queued AI job re-reads the status and quits.
 */
export class ConversationService {
  /** "Atender": the acting member takes the conversation. */
  async take(actor: WorkflowActor, conversationId: unknown) {
    return this.#change(actor, conversationId, async (conversation) => {
      if (conversation.status === 'resolved') throw new ApiError(409, 'This conversation is resolved; reopen it first')
      if (conversation.assigneeId === actor.viewer.userId) return null
      if (conversation.assigneeId && actor.viewer.role === 'agent') {
        throw new ApiError(409, 'This conversation is already assigned to someone else')
      }
      this.#assignTo(conversation, actor.viewer.userId)
      return { action: 'conversation.taken', event: 'conversation.assigned' }
    })
  }

  async assign(actor: WorkflowActor, conversationId: unknown, agentId: number) {
    return this.#change(actor, conversationId, async (conversation, trx) => {
      if (conversation.status === 'resolved') throw new ApiError(409, 'This conversation is resolved; reopen it first')
      await this.#assertMember(conversation.providerId, agentId, trx)
      if (conversation.assigneeId === agentId && conversation.status === 'open') return null
      this.#assignTo(conversation, agentId)
      return { action: 'conversation.assigned', event: 'conversation.assigned' }
    })
  }

  async transfer(actor: WorkflowActor, conversationId: unknown, target: TransferTarget) {
    return this.#change(actor, conversationId, async (conversation, trx) => {
      if (conversation.status === 'resolved') throw new ApiError(409, 'This conversation is resolved; reopen it first')
      if ('agentId' in target) {
        await this.#assertMember(conversation.providerId, target.agentId, trx)
        this.#assignTo(conversation, target.agentId)
        conversation.transferCount += 1
        return { action: 'conversation.transferred', event: 'conversation.assigned' }
      }
      if ('teamId' in target) {
        const team = await Team.query({ client: trx }).where({ providerId: conversation.providerId, id: target.teamId }).first()
        if (!team) throw new ApiError(422, 'The team does not exist', 'teamId', 'exists')
        this.#leaveBot(conversation)
        conversation.merge({ status: 'pending', assigneeId: null, teamId: team.id, transferCount: conversation.transferCount + 1 })
        return { action: 'conversation.transferred', event: 'conversation.updated', queued: true }
      }
      conversation.merge({ status: 'bot', assigneeId: null, transferCount: conversation.transferCount + 1 })
      return { action: 'conversation.transferred', event: 'conversation.updated' }
    })
  }

  async resolve(actor: WorkflowActor, conversationId: unknown, reason?: string | null) {
    return this.#change(actor, conversationId, async (conversation) => {
      if (conversation.status === 'resolved') return null
      conversation.merge({
        status: 'resolved',
        resolvedAt: DateTime.now(),
        resolvedByKind: 'agent',
        resolvedById: actor.viewer.userId,
        resolutionReason: reason ?? null,
        snoozedUntil: null,
      })
      return { action: 'conversation.resolved', event: 'conversation.resolved', resolved: true }
    })
  }

  /**
   * Resolution by the system (inactivity sweep, the AI) of a conversation already locked by the
   * caller's transaction; the same events, audit and hooks as a resolution by an agent.
   */
  async resolveLocked(
    conversation: Conversation,
    trx: TransactionClientContract,
    by: { kind: 'ai' | 'inactivity' | 'system'; reason?: string | null }
  ) {
    if (conversation.status === 'resolved') return conversation
    const before = routingOf(conversation)
    conversation.merge({
      status: 'resolved',
      resolvedAt: DateTime.now(),
      resolvedByKind: by.kind,
      resolvedById: null,
      resolutionReason: by.reason ?? (by.kind === 'inactivity' ? 'inactivity' : null),
      snoozedUntil: null,
    })
    await conversation.useTransaction(trx).save()
    await audit.record(
      {
        providerId: conversation.providerId,
        actorKind: by.kind === 'ai' ? 'ai' : 'system',
        action: 'conversation.resolved',
        targetType: 'conversation',
        targetId: conversation.id,
        before: { ...before },
        after: { status: 'resolved', resolvedByKind: by.kind, reason: conversation.resolutionReason },
      },
      trx
    )
    await publishConversationEvent(conversation, 'conversation.resolved', trx, { before })
    await recordTimelineEvent(trx, conversation, 'resolved', { kind: by.kind })
    await conversationHooks.runResolved(conversation, trx)
    return conversation
  }

  async reopen(actor: WorkflowActor, conversationId: unknown) {
    return this.#change(actor, conversationId, async (conversation) => {
      if (conversation.status !== 'resolved') throw new ApiError(409, 'This conversation is not resolved')
      conversation.merge({
        status: conversation.assigneeId ? 'open' : 'pending',
        resolvedAt: null,
        resolvedByKind: null,
        resolvedById: null,
        resolutionReason: null,
        lastActivityAt: DateTime.now(),
      })
      return { action: 'conversation.reopened', event: 'conversation.updated', reopened: true, queued: !conversation.assigneeId }
    })
  }

  /**
   * Hides the conversation from the active lists until `until` (null wakes it up now). A delayed job
   * wakes it at that time, so the lists hear about it (conversation.updated) without a reload.
   */
  async snooze(actor: WorkflowActor, conversationId: unknown, until: Date | null) {
    return this.#change(actor, conversationId, async (conversation, trx) => {
      if (conversation.status === 'resolved') throw new ApiError(409, 'A resolved conversation cannot be snoozed')
      conversation.snoozedUntil = until ? DateTime.fromJSDate(until) : null
      if (until) {
        await outbox.add(trx, {
          providerId: conversation.providerId,
          queue: 'workflow',
          jobName: 'conversation.wake',
          jobId: `conversation-wake-${conversation.id}-${until.getTime()}`,
          payload: { providerId: conversation.providerId, conversationId: conversation.id, until: until.toISOString() },
          delayMs: Math.max(0, until.getTime() - Date.now()),
        })
      }
      return { action: until ? 'conversation.snoozed' : 'conversation.unsnoozed', event: 'conversation.updated' }
    })
  }

  /** The snooze of `until` has run out: the conversation is back in the lists (unless re-snoozed or woken since). */
  async wake(providerId: number, conversationId: number, until: string) {
    await db.transaction(async (trx) => {
      const conversation = await Conversation.query({ client: trx }).where({ providerId, id: conversationId }).forUpdate().first()
      if (!conversation?.snoozedUntil || conversation.snoozedUntil.toMillis() !== new Date(until).getTime()) return
      conversation.snoozedUntil = null
      await conversation.useTransaction(trx).save()
      await publishConversationEvent(conversation, 'conversation.updated', trx)
    })
  }

  async setLabels(actor: WorkflowActor, conversationId: unknown, labels: string[]) {
    const normalized = [...new Set(labels.map((label) => label.trim().toLowerCase()))].sort()
    return this.#change(actor, conversationId, async (conversation) => {
      const current = [...(conversation.labels ?? [])].sort()
      if (current.join('\u0000') === normalized.join('\u0000')) return null
      conversation.labels = normalized
      return { action: 'conversation.labels_changed', event: 'conversation.updated' }
    })
  }

  async setPriority(actor: WorkflowActor, conversationId: unknown, priority: Priority) {
    return this.#change(actor, conversationId, async (conversation) => {
      if (conversation.priority === priority) return null
      conversation.priority = priority
      return { action: 'conversation.priority_changed', event: 'conversation.updated' }
    })
  }

  /** Clears the unread counter. Not audited: reading is not a change of the conversation's state. */
  async markRead(actor: WorkflowActor, conversationId: unknown) {
    return this.#change(actor, conversationId, async (conversation) => {
      if (conversation.unreadCount === 0) return null
      conversation.unreadCount = 0
      return { action: null, event: 'conversation.read' }
    })
  }

  /* --------------------------------------------------------------------------------------------- */

  #assignTo(conversation: Conversation, userId: number) {
    this.#leaveBot(conversation)
    conversation.merge({ status: 'open', assigneeId: userId, hadHuman: true, snoozedUntil: null })
  }

  /** The moment people take over from the AI is the hand-over, whoever triggers it. */
  #leaveBot(conversation: Conversation) {
    if (conversation.status === 'bot' && !conversation.handedOverAt) conversation.handedOverAt = DateTime.now()
  }

  async #assertMember(providerId: number, userId: number, trx: TransactionClientContract) {
    const membership = await Membership.query({ client: trx }).where({ providerId, userId }).first()
    if (!membership) throw new ApiError(422, 'This person is not a member of the provider', 'agentId', 'exists')
  }

  /**
   * Loads and locks the conversation (404 when it does not exist, belongs to another provider or is
   * not visible to the actor), applies the change, then stores, audits and publishes it. A change that
   * changes nothing (`null`) returns the conversation untouched, with no event.
   */
  async #change(
    actor: WorkflowActor,
    conversationId: unknown,
    apply: (
      conversation: Conversation,
      trx: TransactionClientContract
    ) => Promise<{ action: string | null; event: string; resolved?: boolean; reopened?: boolean; queued?: boolean } | null>
  ) {
    const id = Number(conversationId)
    if (!Number.isSafeInteger(id) || id <= 0) throw ApiError.notFound('Conversation')
    try {
      return await db.transaction(async (trx) => {
        const conversation = await Conversation.query({ client: trx })
          .where({ providerId: actor.viewer.provider.id, id })
          .forUpdate()
          .first()
        if (!conversation || !canSeeConversation(actor.viewer, conversation)) throw ApiError.notFound('Conversation')

        const before = routingOf(conversation)
        const snapshot = snapshotOf(conversation)
        const outcome = await apply(conversation, trx)
        if (!outcome) return conversation

        await conversation.useTransaction(trx).save()
        if (outcome.action) {
          await audit.record(
            {
              providerId: conversation.providerId,
              userId: actor.viewer.userId,
              action: outcome.action,
              targetType: 'conversation',
              targetId: conversation.id,
              before: changedFields(snapshot, snapshotOf(conversation), 'before'),
              after: changedFields(snapshot, snapshotOf(conversation), 'after'),
              ip: actor.ip ?? null,
            },
            trx
          )
        }
        await publishConversationEvent(conversation, outcome.event, trx, {
          before,
          extra: { action: outcome.action, actorId: actor.viewer.userId },
        })
        const kind = timelineKindOf(outcome.action)
        if (kind) await recordTimelineEvent(trx, conversation, kind, { userId: actor.viewer.userId })
        if (outcome.resolved) await conversationHooks.runResolved(conversation, trx)
        if (outcome.reopened) await conversationHooks.runReopened(conversation, trx)
        if (outcome.queued && conversation.status === 'pending' && conversation.teamId) {
          await assignment.autoAssign(conversation, trx)
        }
        return conversation
      })
    } catch (error) {
      // conversations_one_active: a contact has at most one active conversation per inbox.
      if ((error as { code?: string }).code === '23505') {
        throw new ApiError(409, 'This contact already has another active conversation on this inbox')
      }
      throw error
    }
  }
}

/** The audited fields of a conversation. */
function snapshotOf(conversation: Conversation): Record<string, unknown> {
  return {
    status: conversation.status,
    assigneeId: conversation.assigneeId,
    teamId: conversation.teamId,
    priority: conversation.priority,
    labels: [...(conversation.labels ?? [])],
    snoozedUntil: conversation.snoozedUntil?.toISO() ?? null,
    resolutionReason: conversation.resolutionReason,
    unreadCount: conversation.unreadCount,
  }
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, side: 'before' | 'after') {
  const source = side === 'before' ? before : after
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) result[key] = source[key]
  }
  return result
}

const conversations = new ConversationService()
export default conversations
