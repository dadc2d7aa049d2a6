import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('canned_responses', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.string('shortcut', 60).notNullable()
      t.text('content').notNullable()
      t.integer('created_by_id').nullable().references('users.id').onDelete('SET NULL')
      t.timestamps(true, true)
      t.unique(['provider_id', 'shortcut'])
    })

    // One row per provider and kind (ai, isp, csat, handover): plugin id, encrypted config, plain settings.
    this.schema.createTable('provider_settings', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.string('kind', 20).notNullable()
      t.boolean('enabled').notNullable().defaultTo(false)
      t.string('plugin_id', 64).nullable()
      t.text('config').nullable() // JSON; secret fields encrypted
      t.jsonb('settings').notNullable().defaultTo('{}')
      t.timestamps(true, true)
      t.unique(['provider_id', 'kind'])
    })

    this.schema.createTable('csat_surveys', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE')
      t.integer('inbox_id').notNullable().references('inboxes.id').onDelete('CASCADE')
      t.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE')
      t.integer('agent_id').nullable().references('users.id').onDelete('SET NULL')
      t.integer('team_id').nullable().references('teams.id').onDelete('SET NULL')
      t.string('resolved_by_kind', 12).nullable()
      // scheduled | sent | answered | expired | cancelled
      t.string('status', 12).notNullable().defaultTo('scheduled')
      t.timestamp('scheduled_for', { useTz: true }).notNullable()
      t.timestamp('sent_at', { useTz: true }).nullable()
      t.timestamp('expires_at', { useTz: true }).nullable()
      t.timestamp('answered_at', { useTz: true }).nullable()
      t.smallint('rating').nullable() // 1..5
      t.text('answer_text').nullable()
      t.string('answer_source', 10).nullable() // emoji | number | lexicon | ai
      t.text('feedback').nullable() // answer to the follow-up question after a low score
      t.timestamps(true, true)
      t.unique(['provider_id', 'conversation_id'])
      t.index(['provider_id', 'answered_at'])
    })

    this.schema.createTable('audit_logs', (t) => {
      t.bigIncrements('id')
      t.integer('provider_id').nullable().references('providers.id').onDelete('CASCADE')
      t.integer('user_id').nullable().references('users.id').onDelete('SET NULL')
      t.string('actor_kind', 10).notNullable().defaultTo('user') // user | ai | system
      t.string('action', 80).notNullable() // e.g. conversation.transferred, inbox.created
      t.string('target_type', 40).nullable()
      t.string('target_id', 40).nullable()
      t.jsonb('before').nullable()
      t.jsonb('after').nullable()
      t.string('ip', 64).nullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw('CREATE INDEX audit_logs_by_provider ON audit_logs (provider_id, created_at DESC, id DESC)')

    this.schema.createTable('staff_messages', (t) => {
      t.bigIncrements('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('sender_id').notNullable().references('users.id').onDelete('CASCADE')
      t.integer('recipient_id').notNullable().references('users.id').onDelete('CASCADE')
      t.text('content').notNullable()
      t.timestamp('read_at', { useTz: true }).nullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw(
      'CREATE INDEX staff_messages_thread ON staff_messages (provider_id, least(sender_id, recipient_id), greatest(sender_id, recipient_id), id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX staff_messages_unread ON staff_messages (provider_id, recipient_id) WHERE read_at IS NULL'
    )

    /*
     * Realtime catch-up: every event pushed to browsers gets the next number of its provider's sequence.
     * The counter row is locked by the transaction that takes a number, so numbers commit in order and a
     * client asking for "everything after N" never skips an event committed late.
     */
    this.schema.createTable('provider_event_counters', (t) => {
      t.integer('provider_id').primary().references('providers.id').onDelete('CASCADE')
      t.bigInteger('last_seq').notNullable().defaultTo(0)
    })
    this.schema.createTable('realtime_events', (t) => {
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.bigInteger('seq').notNullable()
      t.string('channel', 200).notNullable()
      t.string('event', 60).notNullable()
      t.jsonb('payload').notNullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.primary(['provider_id', 'seq'])
    })

    // Follow-up jobs written in the same transaction as the data they follow (transactional outbox).
    this.schema.createTable('outbox', (t) => {
      t.bigIncrements('id')
      t.integer('provider_id').nullable().references('providers.id').onDelete('CASCADE')
      t.string('queue', 40).notNullable()
      t.string('job_name', 60).notNullable()
      t.string('job_id', 200).nullable() // deterministic BullMQ id, so a re-dispatch is a no-op
      t.jsonb('payload').notNullable()
      t.integer('delay_ms').notNullable().defaultTo(0)
      t.integer('attempts').notNullable().defaultTo(0)
      t.text('last_error').nullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.timestamp('dispatched_at', { useTz: true }).nullable()
    })
    this.schema.raw('CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL')
  }

  async down() {
    for (const table of [
      'outbox',
      'realtime_events',
      'provider_event_counters',
      'staff_messages',
      'audit_logs',
      'csat_surveys',
      'provider_settings',
      'canned_responses',
    ]) {
      this.schema.dropTableIfExists(table)
    }
  }
}
