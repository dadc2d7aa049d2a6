import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Indexes for the dashboard queries (app/services/metrics_service.ts) and the CSAT answer lookup.
 * Created-cohort queries use conversations_by_created (0003) and message counts messages_by_created.
 */
export default class extends BaseSchema {
  async up() {
    // The resolved cohort: resolutions per day, resolution times, per agent and per inbox.
    this.schema.raw(
      'CREATE INDEX conversations_by_resolved ON conversations (provider_id, resolved_at) WHERE resolved_at IS NOT NULL'
    )
    // "Surveys sent in the period" for the response rate.
    this.schema.raw('CREATE INDEX csat_surveys_by_sent ON csat_surveys (provider_id, sent_at) WHERE sent_at IS NOT NULL')
    // The ingest asks, for every message that finds no active conversation, for the contact's latest survey.
    this.schema.raw('CREATE INDEX csat_surveys_by_contact ON csat_surveys (provider_id, inbox_id, contact_id, id DESC)')
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS csat_surveys_by_contact')
    this.schema.raw('DROP INDEX IF EXISTS csat_surveys_by_sent')
    this.schema.raw('DROP INDEX IF EXISTS conversations_by_resolved')
  }
}
