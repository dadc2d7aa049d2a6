import { BaseSchema } from '@adonisjs/lucid/schema'

/** BullMQ options an outbox row is enqueued with (e.g. the AI reply's debounce). */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('outbox', (t) => {
      t.jsonb('options').notNullable().defaultTo('{}')
    })
  }

  async down() {
    this.schema.alterTable('outbox', (t) => {
      t.dropColumn('options')
    })
  }
}
