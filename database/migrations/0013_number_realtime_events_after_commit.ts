import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Realtime events are numbered after their transaction commits (services/realtime_service): an event
 * is stored without a number, then the provider's sequencer numbers it. So rows get their own id, the
 * number may be empty for a moment, and a partial index finds the ones still waiting.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE realtime_events DROP CONSTRAINT realtime_events_pkey')
    this.schema.raw('ALTER TABLE realtime_events ADD COLUMN id bigserial PRIMARY KEY')
    this.schema.raw('ALTER TABLE realtime_events ALTER COLUMN seq DROP NOT NULL')
    this.schema.raw('CREATE UNIQUE INDEX realtime_events_provider_seq_unique ON realtime_events (provider_id, seq)')
    this.schema.raw('CREATE INDEX realtime_events_unnumbered_index ON realtime_events (provider_id, id) WHERE seq IS NULL')
  }

  async down() {
    this.schema.raw('DELETE FROM realtime_events WHERE seq IS NULL')
    this.schema.raw('DROP INDEX realtime_events_unnumbered_index')
    this.schema.raw('DROP INDEX realtime_events_provider_seq_unique')
    this.schema.raw('ALTER TABLE realtime_events DROP COLUMN id')
    this.schema.raw('ALTER TABLE realtime_events ALTER COLUMN seq SET NOT NULL')
    this.schema.raw('ALTER TABLE realtime_events ADD PRIMARY KEY (provider_id, seq)')
  }
}
