import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { jsonColumn } from '#models/concerns/columns'
import Attachment from '#models/attachment'

export type MessageDirection = 'in' | 'out'
export type SenderKind = 'customer' | 'agent' | 'ai' | 'system'
export const MESSAGE_TYPES = [
  'text',
  'image',
  'audio',
  'voice',
  'video',
  'document',
  'sticker',
  'location',
  'contact',
  'unsupported',
  'event',
] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]
export type MessageStatus = 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed'
export interface Reaction {
  emoji: string
  by: 'customer' | number
  at: string
}

export default class Message extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare providerId: number

  @column()
  declare conversationId: number

  @column()
  declare inboxId: number

  @column()
  declare direction: MessageDirection

  @column()
  declare senderKind: SenderKind

  @column()
  declare senderId: number | null

  @column()
  declare senderName: string | null

  @column()
  declare type: MessageType

  @column()
  declare content: string | null

  @column()
  declare private: boolean

  @column()
  declare externalId: string | null

  @column()
  declare quotedMessageId: number | null

  @column()
  declare quotedExternalId: string | null

  @column()
  declare status: MessageStatus

  @column()
  declare error: string | null

  @column()
  declare attempts: number

  @jsonColumn()
  declare reactions: Reaction[]

  @jsonColumn()
  declare metadata: Record<string, any>

  @column.dateTime()
  declare deletedAt: DateTime | null

  @column.dateTime()
  declare editedAt: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Attachment)
  declare attachments: HasMany<typeof Attachment>
}
