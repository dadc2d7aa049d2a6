import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Conversation from '#models/conversation'
import type { ConversationStatus } from '#models/conversation'
import Membership from '#models/membership'
import { channels } from '#realtime/channels'
import realtime from '#services/realtime_service'
import { presentConversation } from '#transformers/workflow_presenters'

/** The part of a conversation that decides who may see it, before and after a change. */
export interface RoutingState {
  status: ConversationStatus
  assigneeId: number | null
  teamId: number | null
}

export function routingOf(conversation: Conversation): RoutingState {
  return { status: conversation.status, assigneeId: conversation.assigneeId, teamId: conversation.teamId }
}

/**
 * The channels that must hear about a conversation in the given routing states: supervision and the
 * conversation's own channel always; the bot channel while the AI has it; the assignee's user channel;
 * for an unassigned one waiting for people, its team's channel, or, without a team, every agent's user
 * channel (agents see unassigned conversations of no team, and no shared channel carries them).
 */
export async function audiencesOf(
  providerId: number,
  conversationId: number,
  states: RoutingState[],
  client: TransactionClientContract
) {
  const audiences = new Set<string>([channels.supervision(providerId), channels.conversation(providerId, conversationId)])
  let everyAgent = false
  for (const state of states) {
    if (state.status === 'bot') audiences.add(channels.bot(providerId))
    if (state.assigneeId) audiences.add(channels.user(state.assigneeId))
    if (!state.assigneeId && (state.status === 'pending' || state.status === 'open')) {
      if (state.teamId) audiences.add(channels.team(providerId, state.teamId))
      else everyAgent = true
    }
  }
  if (everyAgent) {
    const agents = await Membership.query({ client }).where({ providerId, role: 'agent' }).select('userId')
    for (const agent of agents) audiences.add(channels.user(agent.userId))
  }
  return [...audiences]
}

/**
 * Pushes a conversation change to everyone who could see it before (`before`) or can see it now,
 * numbered and stored in the caller's transaction (so the catch-up endpoint has it) and broadcast after
 * commit. Every service that changes a conversation (ingest, AI hand-over, workflow) publishes through
 * here, so each event reaches the same audiences.
 */
export async function publishConversationEvent(
  conversation: Conversation,
  event: string,
  trx: TransactionClientContract,
  options: { before?: RoutingState; extra?: Record<string, unknown> } = {}
) {
  const states: RoutingState[] = [routingOf(conversation)]
  if (options.before) states.push(options.before)
  const audiences = await audiencesOf(conversation.providerId, conversation.id, states, trx)
  const payload = { ...presentConversation(conversation), ...options.extra }
  for (const audience of audiences) {
    await realtime.publish({ providerId: conversation.providerId, audience, event, payload }, trx)
  }
}
