import type { HttpContext } from '@adonisjs/core/http'
import conversationQueries, { viewerOf } from '#services/conversation_query_service'
import { presentConversation, presentConversationDetail } from '#transformers/workflow_presenters'
import { listConversationsValidator } from '#validators/conversation_workflow'

/** The inbox lists with filters and search, and one conversation's detail (visibility rule applied). */
export default class ConversationSearchController {
  async index({ tenant, request }: HttpContext) {
    const filters = await listConversationsValidator.validate(request.qs())
    const { data, nextCursor } = await conversationQueries.list(await viewerOf(tenant), filters)
    return { data: data.map(presentConversation), meta: { nextCursor } }
  }

  /** `GET …/conversations/counts`: conversations and unread messages per inbox tab. */
  async counts({ tenant }: HttpContext) {
    return conversationQueries.counts(await viewerOf(tenant))
  }

  async show({ tenant, params }: HttpContext) {
    return presentConversationDetail(await conversationQueries.find(await viewerOf(tenant), params.id))
  }
}
