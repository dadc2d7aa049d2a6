import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type IdentityKind = 'whatsapp' | 'whatsapp_lid' | 'telegram' | 'email' | 'simulator'

export default class ContactIdentity extends BaseModel {
  static table = 'contact_identities'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare contactId: number

  @column()
  declare kind: IdentityKind

  @column()
  declare value: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
