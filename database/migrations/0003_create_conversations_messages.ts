import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('conversations', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('inbox_id').notNullable().references('inboxes.id').onDelete('CASCADE')
      t.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE')
      t.string('status', 12).notNullable().defaultTo('bot') // bot | pending | open | resolved
      t.integer('assignee_id').nullable().references('users.id').onDelete('SET NULL')
      t.integer('team_id').nullable().references('teams.id').onDelete('SET NULL')
      t.string('priority', 8).notNullable().defaultTo('none') // none | low | medium | high | urgent
      t.specificType('labels', 'text[]').notNullable().defaultTo('{}')
      t.string('chat_id', 120).nullable() // group chat id for group conversations
      t.boolean('is_group').notNullable().defaultTo(false)
      t.timestamp('snoozed_until', { useTz: true }).nullable()
      t.string('handover_reason', 20).nullable() // technical | financial | sales | general
      t.text('handover_summary').nullable()
      t.timestamp('first_customer_message_at', { useTz: true }).nullable()
      t.timestamp('first_response_at', { useTz: true }).nullable() // first reply by the AI or a human
      t.timestamp('handed_over_at', { useTz: true }).nullable()
      t.timestamp('first_human_response_at', { useTz: true }).nullable()
      t.timestamp('resolved_at', { useTz: true }).nullable()
      t.string('resolved_by_kind', 12).nullable() // agent | ai | inactivity | system
      t.integer('resolved_by_id').nullable().references('users.id').onDelete('SET NULL')
      t.text('resolution_reason').nullable()
      t.boolean('had_human').notNullable().defaultTo(false) // a human wrote or was assigned
      t.integer('transfer_count').notNullable().defaultTo(0)
      t.integer('unread_count').notNullable().defaultTo(0)
      t.text('last_message_preview').nullable()
      t.timestamp('last_activity_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.timestamps(true, true)
    })
    this.schema.raw(
      'CREATE INDEX conversations_inbox_list ON conversations (provider_id, status, last_activity_at DESC, id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX conversations_by_assignee ON conversations (provider_id, assignee_id, last_activity_at DESC, id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX conversations_by_team ON conversations (provider_id, team_id, status, last_activity_at DESC)'
    )
    this.schema.raw('CREATE INDEX conversations_by_contact ON conversations (provider_id, contact_id, created_at DESC)')
    this.schema.raw('CREATE INDEX conversations_by_created ON conversations (provider_id, created_at)')
    // At most one conversation per contact and inbox that is not resolved: find-or-open cannot race.
    this.schema.raw(
      "CREATE UNIQUE INDEX conversations_one_active ON conversations (provider_id, inbox_id, contact_id, coalesce(chat_id, '')) WHERE status <> 'resolved'"
    )

    this.schema.createTable('messages', (t) => {
      t.bigIncrements('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE')
      t.integer('inbox_id').notNullable().references('inboxes.id').onDelete('CASCADE')
      t.string('direction', 4).notNullable() // in | out
      t.string('sender_kind', 10).notNullable() // customer | agent | ai | system
      t.integer('sender_id').nullable().references('users.id').onDelete('SET NULL')
      t.string('sender_name', 200).nullable() // group participant or business-phone typist
      // text image audio voice video document sticker location contact unsupported event
      t.string('type', 12).notNullable().defaultTo('text')
      t.text('content').nullable()
      t.boolean('private').notNullable().defaultTo(false)
      t.string('external_id', 200).nullable() // the channel's message id
      t.bigInteger('quoted_message_id').nullable().references('messages.id').onDelete('SET NULL')
      t.string('quoted_external_id', 200).nullable()
      // received | queued | sending | sent | delivered | read | failed
      t.string('status', 10).notNullable().defaultTo('received')
      t.text('error').nullable()
      t.integer('attempts').notNullable().defaultTo(0)
      t.jsonb('reactions').notNullable().defaultTo('[]') // [{ emoji, by: 'customer' | userId, at }]
      t.jsonb('metadata').notNullable().defaultTo('{}') // location, contact card, transcript, tool result...
      t.timestamp('deleted_at', { useTz: true }).nullable()
      t.timestamp('edited_at', { useTz: true }).nullable()
      t.timestamp('sent_at', { useTz: true }).nullable() // the channel's timestamp
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    // The idempotency key of ingest: one provider message id is stored once per inbox.
    this.schema.raw(
      'CREATE UNIQUE INDEX messages_external_unique ON messages (provider_id, inbox_id, external_id) WHERE external_id IS NOT NULL'
    )
    this.schema.raw('CREATE INDEX messages_by_conversation ON messages (provider_id, conversation_id, id DESC)')
    this.schema.raw('CREATE INDEX messages_by_created ON messages (provider_id, created_at)')
    this.schema.raw('CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops)')

    this.schema.createTable('attachments', (t) => {
      t.bigIncrements('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.bigInteger('message_id').nullable().references('messages.id').onDelete('CASCADE')
      t.integer('uploaded_by_id').nullable().references('users.id').onDelete('SET NULL')
      t.string('kind', 12).notNullable() // image audio voice video document sticker
      t.string('mime', 120).nullable()
      t.string('file_name', 255).nullable()
      t.bigInteger('size').nullable()
      t.integer('duration_ms').nullable()
      t.string('storage_key', 500).nullable() // path on the drive disk once downloaded
      t.string('playback_key', 500).nullable() // converted copy browsers can play
      t.string('status', 12).notNullable().defaultTo('pending') // pending | ready | failed
      t.jsonb('source').notNullable().defaultTo('{}') // the channel's opaque media reference
      t.timestamps(true, true)
      t.index(['provider_id', 'message_id'])
    })
  }

  async down() {
    for (const table of ['attachments', 'messages', 'conversations']) this.schema.dropTableIfExists(table)
  }
}
