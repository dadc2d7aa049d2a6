import type { HttpContext } from '@adonisjs/core/http'
import Attachment from '#models/attachment'
import Message from '#models/message'
import ApiError from '#exceptions/api_error'
import conversationQueries, { viewerOf } from '#services/conversation_query_service'
import media from '#services/media_service'
import outbound from '#services/outbound_service'
import { pageById } from '#services/pagination'
import { findOwned } from '#services/tenancy'
import { canSeeConversation } from '#services/visibility_service'
import Conversation from '#models/conversation'
import { presentAttachment, presentMessage } from '#transformers/message_presenter'
import { createMessageValidator, listMessagesValidator, mediaVariantValidator, reactValidator, uploadValidator } from '#validators/message'
import messageActions from '#services/message_action_service'
import cannedResponses from '#services/canned_response_service'

/** A conversation's messages, sending one, uploads and the authorized media route. */
export default class MessagesController {
  /** Newest first; `nextCursor` pages towards older messages. */
  async index({ tenant, params, request }: HttpContext) {
    const page = await listMessagesValidator.validate(request.qs())
    const conversation = await conversationQueries.find(await viewerOf(tenant), params.id)
    const { data, nextCursor } = await pageById<Message>(
      Message.query().where({ providerId: tenant.providerId, conversationId: conversation.id }).preload('attachments') as any,
      { ...page, direction: 'desc' }
    )
    return { data: data.map(presentMessage), meta: { nextCursor } }
  }

  async store({ tenant, params, request, response }: HttpContext) {
    const conversation = await conversationQueries.find(await viewerOf(tenant), params.id)
    const { cannedResponseId, ...input } = await request.validateUsing(createMessageValidator)
    if (cannedResponseId && !input.content) input.content = (await cannedResponses.find(tenant.providerId, cannedResponseId)).content
    const message = await outbound.sendFromAgent({ userId: tenant.user.id, name: tenant.user.name }, conversation, input)
    return response.created(presentMessage(message))
  }

  async react({ tenant, params, request }: HttpContext) {
    const { emoji } = await reactValidator.validate(request.body())
    return presentMessage(await messageActions.react(await viewerOf(tenant), params.id, params.messageId, emoji || null))
  }

  /** Delete for everyone (our own sent messages; notes are simply deleted). */
  async destroy({ tenant, params, request }: HttpContext) {
    const viewer = { ...(await viewerOf(tenant)), ip: request.ip() }
    return presentMessage(await messageActions.deleteForEveryone(viewer, params.id, params.messageId))
  }

  async retry({ tenant, params }: HttpContext) {
    const message = await findOwned(Message, tenant.providerId, params.messageId, 'Message')
    await conversationQueries.find(await viewerOf(tenant), message.conversationId)
    await outbound.retry(message)
    return presentMessage(message)
  }

  async upload({ tenant, request, response }: HttpContext) {
    const { file, voice } = await request.validateUsing(uploadValidator)
    if (!file.tmpPath) throw new ApiError(422, 'The file could not be read', 'file', 'file')
    const attachment = await media.upload(tenant.providerId, tenant.user.id, {
      path: file.tmpPath,
      fileName: file.clientName,
      voice,
    })
    return response.created(presentAttachment(attachment))
  }

  /** Streams a file only to members who may see its conversation (or, for an upload, to its provider). */
  async attachment({ tenant, params, request, response }: HttpContext) {
    const { variant } = await mediaVariantValidator.validate(request.qs())
    const attachment = await findOwned(Attachment, tenant.providerId, params.id, 'Attachment')
    if (attachment.messageId) {
      const message = await Message.findOrFail(attachment.messageId)
      const conversation = await Conversation.findOrFail(message.conversationId)
      if (!canSeeConversation(await viewerOf(tenant), conversation)) throw ApiError.notFound('Attachment')
    }
    const file = await media.open(attachment, variant ?? 'original')
    if (!file) throw new ApiError(409, 'The file is not available yet')
    response.header('content-type', file.mime)
    response.header('cache-control', 'private, max-age=3600')
    response.header('x-content-type-options', 'nosniff')
    if (file.fileName) {
      response.header('content-disposition', `inline; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
    }
    return response.stream(file.stream)
  }
}
