import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export default class OutboxEntry extends BaseModel {
  static table = 'outbox'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number | null

  @column()
  declare queue: string

  @column()
  declare jobName: string

  @column()
  declare jobId: string | null

  @jsonColumn()
  declare payload: Record<string, unknown>

  @column()
  declare delayMs: number

  @column()
  declare attempts: number

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare dispatchedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
