import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Conversation from '#models/conversation'
import type Message from '#models/message'
import type { ConversationStatus } from '#models/conversation'
import Membership from '#models/membership'
import { channels } from '#realtime/channels'
import realtime from '#services/realtime_service'
import { presentConversation } from '#transformers/workflow_presenters'
import { presentMessage } from '#transformers/message_presenter'

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
    for (const userId of await agentsOf(providerId, client)) audiences.add(channels.user(userId))
  }
  return [...audiences]
}

/** The provider's agents, read once per transaction (an ingest publishes a conversation and a message event). */
const agentsByTransaction = new WeakMap<TransactionClientContract, Map<number, Promise<number[]>>>()
function agentsOf(providerId: number, client: TransactionClientContract) {
  let byProvider = agentsByTransaction.get(client)
  if (!byProvider) agentsByTransaction.set(client, (byProvider = new Map()))
  let agents = byProvider.get(providerId)
  if (!agents) {
    agents = Membership.query({ client })
      .where({ providerId, role: 'agent' })
      .select('userId')
      .then((rows) => rows.map((row) => row.userId))
    byProvider.set(providerId, agents)
  }
  return agents
}

/**
 * Pushes a conversation change to everyone who could see it before (`before`) or can see it now,
 * stored in the caller's transaction (so the catch-up endpoint has it), then numbered and broadcast
 * after the commit. Every service that changes a conversation (ingest, AI hand-over, workflow) publishes through
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
  await realtime.publish({ providerId: conversation.providerId, audience: audiences, event, payload }, trx)
}

/** Pushes a message event to everyone who can see its conversation (a private note: its channel only). */
export async function publishMessageEvent(conversation: Conversation, message: Message, event: string, trx: TransactionClientContract) {
  const payload = { message: presentMessage(message), conversation: presentConversation(conversation) }
  const audiences = message.private
    ? [channels.conversation(conversation.providerId, conversation.id)]
    : await audiencesOf(conversation.providerId, conversation.id, [routingOf(conversation)], trx)
  await realtime.publish({ providerId: conversation.providerId, audience: audiences, event, payload }, trx)
}
