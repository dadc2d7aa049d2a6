import type { HttpContext } from '@adonisjs/core/http'
import { viewerOf } from '#services/conversation_query_service'
import conversationStart from '#services/conversation_start_service'
import { presentConversation } from '#transformers/workflow_presenters'
import { presentMessage } from '#transformers/message_presenter'
import { startConversationValidator } from '#validators/conversation_workflow'

/** Starting a conversation: the agent writes first. */
export default class ConversationsController {
  /** 201 with a new conversation; 200 when the contact's active one on that inbox got the message. */
  async store({ tenant, request, response }: HttpContext) {
    const input = await request.validateUsing(startConversationValidator)
    const viewer = { ...(await viewerOf(tenant)), userName: tenant.user.name, ip: request.ip() }
    const { conversation, message, created } = await conversationStart.start(viewer, input)
    return response.status(created ? 201 : 200).send({ ...presentConversation(conversation), message: presentMessage(message) })
  }
}
