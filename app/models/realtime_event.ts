import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export default class RealtimeEvent extends BaseModel {
  static table = 'realtime_events'
  static selfAssignPrimaryKey = true

  @column()
  declare providerId: number

  @column({ isPrimary: true })
  declare seq: number

  @column()
  declare channel: string

  @column()
  declare event: string

  @jsonColumn()
  declare payload: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
