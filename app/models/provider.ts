import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { jsonColumn } from '#models/concerns/columns'
import Membership from '#models/membership'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export type BusinessHours = Partial<Record<Weekday, { from: string; to: string }[]>>
export interface Plan {
  name: string
  speed?: string
  price?: number
  description?: string
}
export interface Fee {
  name: string
  amount?: number
  description?: string
}
export interface Persona {
  agentName?: string
  style?: string
  emojiUse?: 'none' | 'low' | 'medium' | 'high'
  greeting?: string
  instructions?: string
}
export interface ProviderSettingsFlags {
  /** Agents also see the conversations the AI is handling. */
  agentsSeeBotConversations?: boolean
  /** Agents see every conversation of the provider (small teams). */
  agentsSeeAllConversations?: boolean
}

/** A tenant: one ISP. Everything it owns carries its id. */
export default class Provider extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare legalName: string | null

  @column()
  declare document: string | null

  @column()
  declare site: string | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare address: string | null

  @column()
  declare timezone: string

  @column()
  declare locale: string

  @jsonColumn()
  declare businessHours: BusinessHours

  @jsonColumn()
  declare plans: Plan[]

  @jsonColumn()
  declare fees: Fee[]

  @jsonColumn()
  declare documents: string[]

  @jsonColumn()
  declare persona: Persona

  @jsonColumn()
  declare settings: ProviderSettingsFlags

  @column.dateTime()
  declare suspendedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  get isSuspended() {
    return this.suspendedAt !== null
  }
}
