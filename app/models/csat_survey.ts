import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type CsatStatus = 'scheduled' | 'sent' | 'answered' | 'expired' | 'cancelled'

export default class CsatSurvey extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare conversationId: number

  @column()
  declare inboxId: number

  @column()
  declare contactId: number

  @column()
  declare agentId: number | null

  @column()
  declare teamId: number | null

  @column()
  declare resolvedByKind: string | null

  @column()
  declare status: CsatStatus

  @column.dateTime()
  declare scheduledFor: DateTime

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column.dateTime()
  declare answeredAt: DateTime | null

  @column()
  declare rating: number | null

  @column()
  declare answerText: string | null

  @column()
  declare answerSource: string | null

  @column()
  declare feedback: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
