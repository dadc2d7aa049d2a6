import type { HttpContext } from '@adonisjs/core/http'
import ApiError from '#exceptions/api_error'
import conversations, { type TransferTarget, type WorkflowActor } from '#services/conversation_service'
import conversationQueries, { viewerOf } from '#services/conversation_query_service'
import typing from '#services/typing_service'
import { presentConversation } from '#transformers/workflow_presenters'
import {
  assignValidator,
  labelsValidator,
  priorityValidator,
  resolveValidator,
  snoozeValidator,
  typingValidator,
  transferValidator,
} from '#validators/conversation_workflow'

async function actorOf({ tenant, request }: HttpContext): Promise<WorkflowActor> {
  return { viewer: await viewerOf(tenant), ip: request.ip() }
}

/** What agents do to a conversation: `POST …/conversations/:id/<action>` (visibility checked by the service). */
export default class ConversationActionsController {
  async take(ctx: HttpContext) {
    return presentConversation(await conversations.take(await actorOf(ctx), ctx.params.id))
  }

  async assign(ctx: HttpContext) {
    const { agentId } = await ctx.request.validateUsing(assignValidator)
    return presentConversation(await conversations.assign(await actorOf(ctx), ctx.params.id, agentId))
  }

  async transfer(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(transferValidator)
    const targets: TransferTarget[] = []
    if (input.teamId) targets.push({ teamId: input.teamId })
    if (input.agentId) targets.push({ agentId: input.agentId })
    if (input.to) targets.push({ to: input.to })
    if (targets.length !== 1) throw new ApiError(422, 'Give exactly one of teamId, agentId or to: "bot"', 'teamId', 'transferTarget')
    return presentConversation(await conversations.transfer(await actorOf(ctx), ctx.params.id, targets[0]))
  }

  async resolve(ctx: HttpContext) {
    const { reason } = await ctx.request.validateUsing(resolveValidator)
    return presentConversation(await conversations.resolve(await actorOf(ctx), ctx.params.id, reason))
  }

  async reopen(ctx: HttpContext) {
    return presentConversation(await conversations.reopen(await actorOf(ctx), ctx.params.id))
  }

  async snooze(ctx: HttpContext) {
    const { until } = await ctx.request.validateUsing(snoozeValidator)
    if (until && until.getTime() <= Date.now()) throw new ApiError(422, 'The until field must be in the future', 'until', 'future')
    return presentConversation(await conversations.snooze(await actorOf(ctx), ctx.params.id, until))
  }

  async labels(ctx: HttpContext) {
    const { labels } = await ctx.request.validateUsing(labelsValidator)
    return presentConversation(await conversations.setLabels(await actorOf(ctx), ctx.params.id, labels))
  }

  async priority(ctx: HttpContext) {
    const { priority } = await ctx.request.validateUsing(priorityValidator)
    return presentConversation(await conversations.setPriority(await actorOf(ctx), ctx.params.id, priority))
  }

  /** The agent is typing (`on`) or stopped: the customer's channel and the other agents are told. */
  async typing(ctx: HttpContext) {
    const { on } = await ctx.request.validateUsing(typingValidator)
    const viewer = await viewerOf(ctx.tenant)
    await typing.fromAgent(await conversationQueries.find(viewer, ctx.params.id), ctx.auth.user!, on)
    return ctx.response.noContent()
  }

  async read(ctx: HttpContext) {
    return presentConversation(await conversations.markRead(await actorOf(ctx), ctx.params.id))
  }
}
