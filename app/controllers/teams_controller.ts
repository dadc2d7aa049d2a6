import type { HttpContext } from '@adonisjs/core/http'
import teams from '#services/team_service'
import { presentTeam } from '#transformers/workflow_presenters'
import { createTeamValidator, listTeamsValidator, teamMemberValidator, updateTeamValidator } from '#validators/team'

/** Teams: every member reads them; admins manage them. */
export default class TeamsController {
  async index({ tenant, request }: HttpContext) {
    const page = await listTeamsValidator.validate(request.qs())
    const { data, nextCursor } = await teams.list(tenant.providerId, page)
    const members = await teams.membersOf(tenant.providerId, data.map((team) => team.id))
    return { data: data.map((team) => presentTeam(team, members.get(team.id) ?? [])), meta: { nextCursor } }
  }

  async show({ tenant, params }: HttpContext) {
    const team = await teams.find(tenant.providerId, params.id)
    return this.#present(tenant.providerId, team)
  }

  async store({ tenant, request, response }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(createTeamValidator)
    const team = await teams.create(this.#actor(tenant, request), tenant.providerId, input)
    return response.created(await this.#present(tenant.providerId, team))
  }

  async update({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin')
    const input = await request.validateUsing(updateTeamValidator)
    const team = await teams.update(this.#actor(tenant, request), tenant.providerId, params.id, input)
    return this.#present(tenant.providerId, team)
  }

  async destroy({ tenant, request, params, response }: HttpContext) {
    tenant.requireRole('admin')
    await teams.remove(this.#actor(tenant, request), tenant.providerId, params.id)
    return response.noContent()
  }

  async addMember({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin')
    const { userId } = await request.validateUsing(teamMemberValidator)
    const team = await teams.addMember(this.#actor(tenant, request), tenant.providerId, params.id, userId)
    return this.#present(tenant.providerId, team)
  }

  async removeMember({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin')
    const userId = Number(params.userId)
    const team = await teams.removeMember(this.#actor(tenant, request), tenant.providerId, params.id, userId)
    return this.#present(tenant.providerId, team)
  }

  #actor(tenant: HttpContext['tenant'], request: HttpContext['request']) {
    return { userId: tenant.user.id, ip: request.ip() }
  }

  async #present(providerId: number, team: Awaited<ReturnType<typeof teams.find>>) {
    const members = await teams.membersOf(providerId, [team.id])
    return presentTeam(team, members.get(team.id) ?? [])
  }
}
