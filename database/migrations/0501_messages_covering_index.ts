import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Message counts per direction and sender (the dashboard's messages in/out) read this index alone
 * (an index-only scan) instead of visiting a million rows. Same key as messages_by_created (0003),
 * which it replaces, so every query that used that one can use this one.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      'CREATE INDEX messages_by_created_covering ON messages (provider_id, created_at) INCLUDE (direction, sender_kind, private)'
    )
    this.schema.raw('DROP INDEX IF EXISTS messages_by_created')
  }

  async down() {
    this.schema.raw('CREATE INDEX IF NOT EXISTS messages_by_created ON messages (provider_id, created_at)')
    this.schema.raw('DROP INDEX IF EXISTS messages_by_created_covering')
  }
}
