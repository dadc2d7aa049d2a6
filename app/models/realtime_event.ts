import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export default class RealtimeEvent extends BaseModel {
  static table = 'realtime_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  /** Empty until the sequencer numbers the event (services/realtime_service). */
  @column()
  declare seq: number | null

  /** Every channel the event went to (names from #realtime/channels). */
  @column()
  declare channels: string[]

  @column()
  declare event: string

  @jsonColumn()
  declare payload: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
