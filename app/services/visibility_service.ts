import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Conversation from '#models/conversation'
import TeamMember from '#models/team_member'
import type Provider from '#models/provider'
import type { Role } from '#models/membership'

export interface Viewer {
  userId: number
  role: Role
  provider: Provider
  /** Team ids of the viewer inside this provider. */
  teamIds: number[]
}

export async function teamIdsOf(providerId: number, userId: number): Promise<number[]> {
  const rows = await TeamMember.query().where({ providerId, userId }).select('teamId')
  return rows.map((row) => row.teamId)
}

/**
 * Who sees a conversation — one rule for lists, detail routes and realtime channels:
 * admins and supervisors see everything of their provider; an agent sees conversations assigned to
 * them, unassigned ones of their teams (or of no team), and, per provider setting, the AI's
 * conversations or simply everything.
 */
export function canSeeConversation(viewer: Viewer, conversation: Conversation): boolean {
  if (conversation.providerId !== viewer.provider.id) return false
  if (viewer.role !== 'agent') return true
  const settings = viewer.provider.settings ?? {}
  if (settings.agentsSeeAllConversations) return true
  if (conversation.assigneeId === viewer.userId) return true
  if (conversation.status === 'bot') return Boolean(settings.agentsSeeBotConversations)
  if (conversation.assigneeId === null && conversation.status !== 'resolved') {
    return conversation.teamId === null || viewer.teamIds.includes(conversation.teamId)
  }
  return false
}

/** The same rule as a WHERE clause, for list queries. */
export function scopeVisible(query: ModelQueryBuilderContract<typeof Conversation>, viewer: Viewer) {
  query.where('conversations.provider_id', viewer.provider.id)
  if (viewer.role !== 'agent') return query
  const settings = viewer.provider.settings ?? {}
  if (settings.agentsSeeAllConversations) return query
  return query.where((visible) => {
    visible.where('conversations.assignee_id', viewer.userId)
    if (settings.agentsSeeBotConversations) visible.orWhere('conversations.status', 'bot')
    visible.orWhere((unassigned) => {
      unassigned
        .whereNull('conversations.assignee_id')
        .whereIn('conversations.status', ['pending', 'open'])
        .where((team) => {
          team.whereNull('conversations.team_id')
          if (viewer.teamIds.length) team.orWhereIn('conversations.team_id', viewer.teamIds)
        })
    })
  })
}
