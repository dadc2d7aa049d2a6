import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#models/concerns/columns'

export type SettingKind = 'ai' | 'isp' | 'csat' | 'handover'

/** Per-provider settings of one kind: which plugin, its (encrypted) config, and plain options. */
export default class ProviderSetting extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare kind: SettingKind

  @column()
  declare enabled: boolean

  @column()
  declare pluginId: string | null

  @column({ serializeAs: null })
  declare config: string | null

  @jsonColumn()
  declare settings: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
