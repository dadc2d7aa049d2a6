import { BaseSchema } from '@adonisjs/lucid/schema'

/** What the AI agent remembers about a conversation, and what it cost. */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('conversations', (t) => {
      // { cpfCnpj, customerName, contractId, contracts: [...] }: facts the AI must not ask again
      t.jsonb('ai_state').notNullable().defaultTo('{}')
      t.integer('ai_prompt_tokens').notNullable().defaultTo(0)
      t.integer('ai_completion_tokens').notNullable().defaultTo(0)
      t.integer('ai_turns').notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable('conversations', (t) => {
      t.dropColumns('ai_state', 'ai_prompt_tokens', 'ai_completion_tokens', 'ai_turns')
    })
  }
}
