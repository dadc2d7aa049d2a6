import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ApiError from '#exceptions/api_error'
import Membership from '#models/membership'
import Team from '#models/team'
import TeamMember from '#models/team_member'
import audit from '#services/audit_service'
import { findOwned } from '#services/tenancy'
import { pageById } from '#services/pagination'

export interface TeamInput {
  name: string
  description?: string | null
  autoAssign?: boolean
  maxOpenPerAgent?: number
  memberIds?: number[]
}

export interface AdminActor {
  userId: number
  ip?: string | null
}

/** Teams of a provider and their members (who receives which hand-overs, who is auto-assigned). */
export class TeamService {
  async list(providerId: number, page: { cursor?: string; limit?: number }) {
    const result = await pageById<Team>(Team.query().where('provider_id', providerId) as any, page)
    return { data: result.data, nextCursor: result.nextCursor }
  }

  async find(providerId: number, teamId: unknown) {
    return findOwned(Team, providerId, teamId, 'Team')
  }

  async membersOf(providerId: number, teamIds: number[]) {
    const byTeam = new Map<number, { id: number; name: string }[]>()
    if (!teamIds.length) return byTeam
    const rows: { team_id: number; id: number; name: string }[] = await db
      .from('team_members')
      .join('users', 'users.id', 'team_members.user_id')
      .where('team_members.provider_id', providerId)
      .whereIn('team_members.team_id', teamIds)
      .orderBy('users.id')
      .select('team_members.team_id', 'users.id', 'users.name')
    for (const row of rows) {
      const list = byTeam.get(row.team_id) ?? []
      list.push({ id: row.id, name: row.name })
      byTeam.set(row.team_id, list)
    }
    return byTeam
  }

  async create(actor: AdminActor, providerId: number, input: TeamInput) {
    return this.#unique(() =>
      db.transaction(async (trx) => {
        const team = await Team.create(
          {
            providerId,
            name: input.name,
            description: input.description ?? null,
            autoAssign: input.autoAssign ?? false,
            maxOpenPerAgent: input.maxOpenPerAgent ?? 0,
          },
          { client: trx }
        )
        if (input.memberIds) await this.#setMembers(trx, team, input.memberIds)
        await audit.record(
          { providerId, userId: actor.userId, ip: actor.ip, action: 'team.created', targetType: 'team', targetId: team.id, after: { ...input } },
          trx
        )
        return team
      })
    )
  }

  async update(actor: AdminActor, providerId: number, teamId: unknown, input: Partial<TeamInput>) {
    const found = await this.find(providerId, teamId)
    return this.#unique(() =>
      db.transaction(async (trx) => {
        const team = await Team.query({ client: trx }).where('id', found.id).forUpdate().firstOrFail()
        const before = { name: team.name, description: team.description, autoAssign: team.autoAssign, maxOpenPerAgent: team.maxOpenPerAgent }
        const { memberIds, ...fields } = input
        team.merge(fields)
        await team.useTransaction(trx).save()
        if (memberIds) await this.#setMembers(trx, team, memberIds)
        await audit.record(
          { providerId, userId: actor.userId, ip: actor.ip, action: 'team.updated', targetType: 'team', targetId: team.id, before, after: { ...input } },
          trx
        )
        return team
      })
    )
  }

  async remove(actor: AdminActor, providerId: number, teamId: unknown) {
    const team = await this.find(providerId, teamId)
    await db.transaction(async (trx) => {
      // Its waiting conversations stay waiting, for no team (team_id is SET NULL by the foreign key).
      await team.useTransaction(trx).delete()
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'team.deleted', targetType: 'team', targetId: team.id, before: { name: team.name } },
        trx
      )
    })
  }

  async addMember(actor: AdminActor, providerId: number, teamId: unknown, userId: number) {
    const team = await this.find(providerId, teamId)
    await db.transaction(async (trx) => {
      await this.#assertMembers(trx, providerId, [userId])
      await trx
        .insertQuery()
        .table('team_members')
        .insert({ provider_id: providerId, team_id: team.id, user_id: userId })
        .knexQuery.onConflict(['provider_id', 'team_id', 'user_id'])
        .ignore()
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'team.member_added', targetType: 'team', targetId: team.id, after: { userId } },
        trx
      )
    })
    return team
  }

  async removeMember(actor: AdminActor, providerId: number, teamId: unknown, userId: number) {
    const team = await this.find(providerId, teamId)
    await db.transaction(async (trx) => {
      const deleted = await TeamMember.query({ client: trx }).where({ providerId, teamId: team.id, userId }).delete()
      if (!Number(Array.isArray(deleted) ? deleted[0] : deleted)) throw ApiError.notFound('Team member')
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'team.member_removed', targetType: 'team', targetId: team.id, before: { userId } },
        trx
      )
    })
    return team
  }

  async #setMembers(trx: TransactionClientContract, team: Team, userIds: number[]) {
    const unique = [...new Set(userIds)]
    await this.#assertMembers(trx, team.providerId, unique)
    await TeamMember.query({ client: trx }).where({ providerId: team.providerId, teamId: team.id }).delete()
    if (unique.length) {
      await trx
        .insertQuery()
        .table('team_members')
        .multiInsert(unique.map((userId) => ({ provider_id: team.providerId, team_id: team.id, user_id: userId })))
    }
  }

  /** Only members of this provider can be in its teams. */
  async #assertMembers(trx: TransactionClientContract, providerId: number, userIds: number[]) {
    if (!userIds.length) return
    const found = await Membership.query({ client: trx }).where('providerId', providerId).whereIn('userId', userIds)
    if (found.length !== userIds.length) {
      throw new ApiError(422, 'Every team member must be a member of this provider', 'memberIds', 'exists')
    }
  }

  async #unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ApiError(422, 'A team with this name already exists', 'name', 'unique')
      }
      throw error
    }
  }
}

const teams = new TeamService()
export default teams
