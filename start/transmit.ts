/*
 * Authorization of every realtime channel pattern (see #realtime/channels). Transmit answers 400 to a
 * refused subscription. The session user is read from the request; an unauthenticated client gets no
 * channel at all.
 */
import transmit from '@adonisjs/transmit/services/main'
import type { HttpContext } from '@adonisjs/core/http'
import Conversation from '#models/conversation'
import Membership from '#models/membership'
import Provider from '#models/provider'
import TeamMember from '#models/team_member'
import { CHANNEL_PATTERNS } from '#realtime/channels'
import { canSeeConversation, teamIdsOf } from '#services/visibility_service'

async function viewerOf(ctx: HttpContext, providerIdParam: string) {
  const user = ctx.auth.user ?? (await ctx.auth.use('web').check().then(() => ctx.auth.use('web').user))
  if (!user) return null
  const providerId = Number(providerIdParam)
  const provider = await Provider.find(providerId)
  if (!provider) return null
  if (user.isSuperadmin) return { user, provider, role: 'admin' as const }
  if (provider.isSuspended) return null
  const membership = await Membership.query().where({ providerId, userId: user.id }).first()
  return membership ? { user, provider, role: membership.role } : null
}

/* Staff, and agents of a provider that lets agents see every conversation (they follow all of them here). */
transmit.authorize<{ providerId: string }>(CHANNEL_PATTERNS.supervision, async (ctx, { providerId }) => {
  const viewer = await viewerOf(ctx, providerId)
  return Boolean(viewer && (viewer.role !== 'agent' || viewer.provider.settings?.agentsSeeAllConversations))
})

transmit.authorize<{ providerId: string }>(CHANNEL_PATTERNS.presence, async (ctx, { providerId }) => {
  return Boolean(await viewerOf(ctx, providerId))
})

transmit.authorize<{ providerId: string }>(CHANNEL_PATTERNS.bot, async (ctx, { providerId }) => {
  const viewer = await viewerOf(ctx, providerId)
  if (!viewer) return false
  const settings = viewer.provider.settings ?? {}
  return viewer.role !== 'agent' || Boolean(settings.agentsSeeBotConversations || settings.agentsSeeAllConversations)
})

transmit.authorize<{ providerId: string; teamId: string }>(CHANNEL_PATTERNS.team, async (ctx, params) => {
  const viewer = await viewerOf(ctx, params.providerId)
  if (!viewer) return false
  if (viewer.role !== 'agent' || viewer.provider.settings?.agentsSeeAllConversations) return true
  const member = await TeamMember.query()
    .where({ providerId: viewer.provider.id, teamId: Number(params.teamId), userId: viewer.user.id })
    .first()
  return Boolean(member)
})

transmit.authorize<{ providerId: string; conversationId: string }>(
  CHANNEL_PATTERNS.conversation,
  async (ctx, params) => {
    const viewer = await viewerOf(ctx, params.providerId)
    if (!viewer) return false
    const conversation = await Conversation.query()
      .where({ providerId: viewer.provider.id, id: Number(params.conversationId) })
      .first()
    if (!conversation) return false
    const teamIds = await teamIdsOf(viewer.provider.id, viewer.user.id)
    return canSeeConversation(
      { userId: viewer.user.id, role: viewer.role, provider: viewer.provider, teamIds },
      conversation
    )
  }
)

transmit.authorize<{ userId: string }>(CHANNEL_PATTERNS.user, async (ctx, { userId }) => {
  await ctx.auth.use('web').check()
  return ctx.auth.use('web').user?.id === Number(userId)
})
