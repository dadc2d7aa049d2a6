import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Realtime events are kept for catch-up only: the worker deletes old ones and remembers, per provider,
 * the last sequence number deleted, so a client asking for older events is told to reload instead of
 * silently missing them. The index serves the time-based delete.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('provider_event_counters', (t) => {
      t.bigInteger('pruned_seq').notNullable().defaultTo(0)
    })
    this.schema.alterTable('realtime_events', (t) => {
      t.index(['created_at'], 'realtime_events_created_at_index')
    })
  }

  async down() {
    this.schema.alterTable('realtime_events', (t) => {
      t.dropIndex(['created_at'], 'realtime_events_created_at_index')
    })
    this.schema.alterTable('provider_event_counters', (t) => {
      t.dropColumn('pruned_seq')
    })
  }
}
