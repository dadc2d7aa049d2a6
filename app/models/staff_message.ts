import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class StaffMessage extends BaseModel {
  static table = 'staff_messages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare senderId: number

  @column()
  declare recipientId: number

  @column()
  declare content: string

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
