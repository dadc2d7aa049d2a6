import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contact from '#models/contact'
import Inbox from '#models/inbox'
import Message from '#models/message'
import User from '#models/user'
import Team from '#models/team'

export const CONVERSATION_STATUSES = ['bot', 'pending', 'open', 'resolved'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]
export const HANDOVER_REASONS = ['technical', 'financial', 'sales', 'general'] as const
export type HandoverReason = (typeof HANDOVER_REASONS)[number]

/** Facts the AI agent learned in this conversation (asked once, never again). */
export interface AiState {
  cpfCnpj?: string
  customerName?: string
  contractId?: string
  contracts?: { id: string; holderName: string; address?: string; status: string }[]
}

export default class Conversation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare inboxId: number

  @column()
  declare contactId: number

  @column()
  declare status: ConversationStatus

  @column()
  declare assigneeId: number | null

  @column()
  declare teamId: number | null

  @column()
  declare priority: Priority

  @column()
  declare labels: string[]

  @column()
  declare chatId: string | null

  @column()
  declare isGroup: boolean

  @column.dateTime()
  declare snoozedUntil: DateTime | null

  @column()
  declare handoverReason: HandoverReason | null

  @column()
  declare handoverSummary: string | null

  @column.dateTime()
  declare firstCustomerMessageAt: DateTime | null

  @column.dateTime()
  declare firstResponseAt: DateTime | null

  @column.dateTime()
  declare handedOverAt: DateTime | null

  @column.dateTime()
  declare firstHumanResponseAt: DateTime | null

  @column.dateTime()
  declare resolvedAt: DateTime | null

  @column()
  declare resolvedByKind: 'agent' | 'ai' | 'inactivity' | 'system' | null

  @column()
  declare resolvedById: number | null

  @column()
  declare resolutionReason: string | null

  @column()
  declare hadHuman: boolean

  @column()
  declare transferCount: number

  @column()
  declare unreadCount: number

  @column()
  declare lastMessagePreview: string | null

  @column.dateTime()
  declare lastActivityAt: DateTime

  @jsonColumn()
  declare aiState: AiState

  @column()
  declare aiPromptTokens: number

  @column()
  declare aiCompletionTokens: number

  @column()
  declare aiTurns: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contact)
  declare contact: BelongsTo<typeof Contact>

  @belongsTo(() => Inbox)
  declare inbox: BelongsTo<typeof Inbox>

  @belongsTo(() => User, { foreignKey: 'assigneeId' })
  declare assignee: BelongsTo<typeof User>

  @belongsTo(() => Team)
  declare team: BelongsTo<typeof Team>

  @hasMany(() => Message)
  declare messages: HasMany<typeof Message>
}
