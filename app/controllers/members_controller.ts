import type { HttpContext } from '@adonisjs/core/http'
import members from '#services/member_service'
import MemberPolicy from '#policies/member_policy'
import { presentMember } from '#transformers/presenters'
import { addMemberValidator, listMembersValidator, updateMemberValidator } from '#validators/member'

export default class MembersController {
  async index({ tenant, request }: HttpContext) {
    const page = await listMembersValidator.validate(request.qs())
    const { data, nextCursor } = await members.list(tenant.provider, page)
    return { data: data.map(presentMember), meta: { nextCursor } }
  }

  async show({ tenant, params }: HttpContext) {
    return presentMember(await members.find(tenant.provider, params.userId))
  }

  async store({ tenant, bouncer, request, response }: HttpContext) {
    await bouncer.with(MemberPolicy).authorize('manage', tenant)
    const input = await request.validateUsing(addMemberValidator)
    const { membership, invited } = await members.add({ user: tenant.user, ip: request.ip() }, tenant.provider, input)
    return response.created({ ...presentMember(membership), invited })
  }

  async update({ tenant, bouncer, request, params }: HttpContext) {
    await bouncer.with(MemberPolicy).authorize('manage', tenant)
    const changes = await request.validateUsing(updateMemberValidator)
    const membership = await members.update({ user: tenant.user, ip: request.ip() }, tenant.provider, params.userId, changes)
    return presentMember(membership)
  }

  async destroy({ tenant, bouncer, params, request, response }: HttpContext) {
    await bouncer.with(MemberPolicy).authorize('manage', tenant)
    await members.remove({ user: tenant.user, ip: request.ip() }, tenant.provider, params.userId)
    return response.noContent()
  }
}
