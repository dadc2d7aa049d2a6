/**
 * Every Transmit channel name comes from here, and start/transmit.ts has an authorizer for each
 * pattern: Transmit leaves any name that matches no pattern public, so no name is built elsewhere.
 * Channels follow audiences (who may see everything sent on them), not topics.
 */
export const channels = {
  /** Admins and supervisors: every conversation change, metrics, CSAT. */
  supervision: (providerId: number) => `providers/${providerId}/supervision`,
  /** A team's unassigned conversations. */
  team: (providerId: number, teamId: number) => `providers/${providerId}/teams/${teamId}`,
  /** Conversations the AI is handling, for members allowed to see them. */
  bot: (providerId: number) => `providers/${providerId}/bot`,
  /** Messages, reactions, statuses and typing of one conversation. */
  conversation: (providerId: number, conversationId: number) =>
    `providers/${providerId}/conversations/${conversationId}`,
  /** Who is online. */
  presence: (providerId: number) => `providers/${providerId}/presence`,
  /** One user's assigned conversations, direct staff messages and notifications. */
  user: (userId: number) => `users/${userId}`,
}

export const CHANNEL_PATTERNS = {
  supervision: 'providers/:providerId/supervision',
  team: 'providers/:providerId/teams/:teamId',
  bot: 'providers/:providerId/bot',
  conversation: 'providers/:providerId/conversations/:conversationId',
  presence: 'providers/:providerId/presence',
  user: 'users/:userId',
} as const
