import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export default class Contact extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare name: string | null

  @column()
  declare phone: string | null

  @column()
  declare email: string | null

  @column()
  declare avatarUrl: string | null

  @column()
  declare document: string | null

  @jsonColumn()
  declare customAttributes: Record<string, unknown>

  @column()
  declare mergedIntoId: number | null

  @column.dateTime()
  declare lastActivityAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
