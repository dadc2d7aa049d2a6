import type { HttpContext } from '@adonisjs/core/http'
import cannedResponses from '#services/canned_response_service'
import { presentCannedResponse } from '#transformers/workflow_presenters'
import {
  createCannedResponseValidator,
  listCannedResponsesValidator,
  updateCannedResponseValidator,
} from '#validators/canned_response'

/** Canned responses: every member reads them; admins and supervisors manage them. */
export default class CannedResponsesController {
  async index({ tenant, request }: HttpContext) {
    const options = await listCannedResponsesValidator.validate(request.qs())
    const { data, nextCursor } = await cannedResponses.list(tenant.providerId, options)
    return { data: data.map(presentCannedResponse), meta: { nextCursor } }
  }

  async show({ tenant, params }: HttpContext) {
    return presentCannedResponse(await cannedResponses.find(tenant.providerId, params.id))
  }

  async store({ tenant, request, response }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    const input = await request.validateUsing(createCannedResponseValidator)
    const canned = await cannedResponses.create({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, input)
    return response.created(presentCannedResponse(canned))
  }

  async update({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    const input = await request.validateUsing(updateCannedResponseValidator)
    const canned = await cannedResponses.update({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, params.id, input)
    return presentCannedResponse(canned)
  }

  async destroy({ tenant, request, params, response }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    await cannedResponses.remove({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, params.id)
    return response.noContent()
  }
}
