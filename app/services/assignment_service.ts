import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Conversation from '#models/conversation'
import Team from '#models/team'
import audit from '#services/audit_service'
import { publishConversationEvent, routingOf } from '#services/conversation_events'
import presence from '#services/presence_service'

/**
 * Auto-assignment (per team, optional): a conversation waiting for a team goes to the next ONLINE
 * member after the one who got the last, skipping members at the team's capacity
 * (`maxOpenPerAgent` open conversations; 0 = no limit). The team row is locked while choosing, so two
 * conversations queued at once never both go to the same "next" member.
 */
export class AssignmentService {
  /** Assigns a pending, unassigned conversation (locked by the caller). Returns the assignee, or null. */
  async autoAssign(conversation: Conversation, trx: TransactionClientContract): Promise<number | null> {
    if (conversation.status !== 'pending' || conversation.assigneeId || !conversation.teamId) return null
    const team = await Team.query({ client: trx })
      .where({ providerId: conversation.providerId, id: conversation.teamId })
      .forUpdate()
      .first()
    if (!team?.autoAssign) return null

    const agentId = await this.#nextAgent(team, trx)
    if (!agentId) return null

    const before = routingOf(conversation)
    conversation.merge({ status: 'open', assigneeId: agentId, hadHuman: true })
    await conversation.useTransaction(trx).save()
    team.lastAssignedUserId = agentId
    await team.useTransaction(trx).save()
    await audit.record(
      {
        providerId: conversation.providerId,
        actorKind: 'system',
        action: 'conversation.auto_assigned',
        targetType: 'conversation',
        targetId: conversation.id,
        before: { status: before.status, assigneeId: null },
        after: { status: 'open', assigneeId: agentId, teamId: team.id },
      },
      trx
    )
    await publishConversationEvent(conversation, 'conversation.assigned', trx, {
      before,
      extra: { action: 'conversation.auto_assigned', actorId: null },
    })
    return agentId
  }

  /**
   * Hands waiting conversations of the user's auto-assign teams out (oldest first), e.g. when a member
   * comes online. Each assignment is its own transaction. Returns how many were assigned.
   */
  async assignWaiting(providerId: number, userId: number, limit = 20): Promise<number> {
    const waiting: { id: number }[] = await db
      .from('conversations')
      .join('teams', 'teams.id', 'conversations.team_id')
      .join('team_members', (join) => {
        join.on('team_members.team_id', 'teams.id').andOnVal('team_members.user_id', userId)
      })
      .where('conversations.provider_id', providerId)
      .where('teams.auto_assign', true)
      .where('conversations.status', 'pending')
      .whereNull('conversations.assignee_id')
      .orderBy('conversations.last_activity_at', 'asc')
      .limit(limit)
      .select('conversations.id')
    let assigned = 0
    for (const { id } of waiting) {
      const done = await db.transaction(async (trx) => {
        const conversation = await Conversation.query({ client: trx }).where({ providerId, id }).forUpdate().first()
        return conversation ? this.autoAssign(conversation, trx) : null
      })
      if (done) assigned++
    }
    return assigned
  }

  async #nextAgent(team: Team, trx: TransactionClientContract): Promise<number | null> {
    const members: { user_id: number; open_count: string | number }[] = await trx
      .from('team_members')
      .join('memberships', (join) => {
        join.on('memberships.user_id', 'team_members.user_id').andOn('memberships.provider_id', 'team_members.provider_id')
      })
      .where('team_members.provider_id', team.providerId)
      .where('team_members.team_id', team.id)
      .select('team_members.user_id')
      .select(
        trx.raw(
          `(SELECT count(*) FROM conversations c
             WHERE c.provider_id = team_members.provider_id AND c.assignee_id = team_members.user_id
               AND c.status = 'open') AS open_count`
        )
      )
      .orderBy('team_members.user_id')
    if (!members.length) return null

    const statuses = await presence.statusesOf(
      team.providerId,
      members.map((m) => m.user_id)
    )
    const eligible = members.filter(
      (m) =>
        statuses.get(m.user_id) === 'online' &&
        (team.maxOpenPerAgent <= 0 || Number(m.open_count) < team.maxOpenPerAgent)
    )
    if (!eligible.length) return null
    // Round robin: the first eligible member after the last one served, wrapping around.
    const last = team.lastAssignedUserId ?? 0
    return (eligible.find((m) => m.user_id > last) ?? eligible[0]).user_id
  }
}

const assignment = new AssignmentService()
export default assignment
