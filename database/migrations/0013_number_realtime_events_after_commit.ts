import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Realtime events are numbered after their transaction commits (services/realtime_service): an event
 * is stored without a number, then the provider's sequencer numbers it. So rows get their own id, the
 * number may be empty for a moment, and a partial index finds the ones still waiting. One row per event
 * with every channel it goes to (it was one row per channel, each a copy of the payload).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE realtime_events DROP CONSTRAINT realtime_events_pkey')
    this.schema.raw('ALTER TABLE realtime_events ADD COLUMN id bigserial PRIMARY KEY')
    this.schema.raw('ALTER TABLE realtime_events ALTER COLUMN seq DROP NOT NULL')
    this.schema.raw('ALTER TABLE realtime_events ADD COLUMN channels text[]')
    this.schema.raw('UPDATE realtime_events SET channels = ARRAY[channel]')
    this.schema.raw('ALTER TABLE realtime_events ALTER COLUMN channels SET NOT NULL')
    this.schema.raw('ALTER TABLE realtime_events DROP COLUMN channel')
    this.schema.raw('CREATE UNIQUE INDEX realtime_events_provider_seq_unique ON realtime_events (provider_id, seq)')
    this.schema.raw('CREATE INDEX realtime_events_unnumbered_index ON realtime_events (provider_id, id) WHERE seq IS NULL')
  }

  async down() {
    this.schema.raw('DELETE FROM realtime_events WHERE seq IS NULL')
    this.schema.raw('DROP INDEX realtime_events_unnumbered_index')
    this.schema.raw('DROP INDEX realtime_events_provider_seq_unique')
    this.schema.raw("ALTER TABLE realtime_events ADD COLUMN channel varchar(200) NOT NULL DEFAULT ''")
    this.schema.raw('UPDATE realtime_events SET channel = channels[1]')
    this.schema.raw('ALTER TABLE realtime_events DROP COLUMN channels')
    this.schema.raw('ALTER TABLE realtime_events DROP COLUMN id')
    this.schema.raw('ALTER TABLE realtime_events ALTER COLUMN seq SET NOT NULL')
    this.schema.raw('ALTER TABLE realtime_events ADD PRIMARY KEY (provider_id, seq)')
  }
}
