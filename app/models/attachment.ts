import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export default class Attachment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare messageId: number | null

  @column()
  declare uploadedById: number | null

  @column()
  declare kind: string

  @column()
  declare mime: string | null

  @column()
  declare fileName: string | null

  @column()
  declare size: number | null

  @column()
  declare durationMs: number | null

  @column()
  declare storageKey: string | null

  @column()
  declare playbackKey: string | null

  @column()
  declare status: 'pending' | 'ready' | 'failed'

  @jsonColumn()
  declare source: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
