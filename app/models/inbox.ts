import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export type InboxStatus = 'connected' | 'disconnected' | 'qr' | 'unknown'

/** One channel instance (a WhatsApp number, a Telegram bot, a mailbox) served by a channel plugin. */
export default class Inbox extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare name: string

  @column()
  declare pluginId: string

  /** JSON text whose secret fields are encrypted; read and written only through the plugin config service. */
  @column({ serializeAs: null })
  declare config: string

  @column({ serializeAs: null })
  declare webhookKey: string

  @column()
  declare status: InboxStatus

  @column()
  declare statusDetail: string | null

  @column.dateTime()
  declare statusAt: DateTime | null

  @column()
  declare enableGroups: boolean

  @column()
  declare defaultTeamId: number | null

  @jsonColumn({ serializeAs: null })
  declare state: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
