import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Every tenant-owned table carries provider_id, and its unique keys and main indexes start with it,
 * so tenants can later be sharded by provider (see DESIGN "Scaling out").
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('teams', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.string('name', 120).notNullable()
      t.text('description').nullable()
      t.boolean('auto_assign').notNullable().defaultTo(false)
      t.integer('max_open_per_agent').notNullable().defaultTo(0) // 0 = no limit
      t.integer('last_assigned_user_id').nullable()
      t.timestamps(true, true)
      t.unique(['provider_id', 'name'])
    })

    this.schema.createTable('team_members', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.unique(['provider_id', 'team_id', 'user_id'])
      t.index(['provider_id', 'user_id'])
    })

    this.schema.createTable('inboxes', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.string('name', 120).notNullable()
      t.string('plugin_id', 64).notNullable()
      t.text('config').notNullable() // JSON; fields marked secret by the plugin are encrypted with APP_KEY
      t.string('webhook_key', 64).notNullable().unique()
      t.string('status', 20).notNullable().defaultTo('unknown') // connected | disconnected | qr | unknown
      t.text('status_detail').nullable()
      t.timestamp('status_at', { useTz: true }).nullable()
      t.boolean('enable_groups').notNullable().defaultTo(false)
      t.integer('default_team_id').nullable().references('teams.id').onDelete('SET NULL')
      t.jsonb('state').notNullable().defaultTo('{}') // plugin-owned cursors (e.g. last IMAP UID)
      t.timestamps(true, true)
      t.index(['provider_id'])
    })

    this.schema.createTable('contacts', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.string('name', 200).nullable()
      t.string('phone', 32).nullable() // E.164 digits, no "+"
      t.string('email', 254).nullable()
      t.string('avatar_url', 1000).nullable()
      t.string('document', 20).nullable() // CPF/CNPJ once known
      t.jsonb('custom_attributes').notNullable().defaultTo('{}')
      t.integer('merged_into_id').nullable().references('contacts.id').onDelete('SET NULL')
      t.timestamp('last_activity_at', { useTz: true }).nullable()
      t.timestamps(true, true)
      t.index(['provider_id', 'phone'])
      t.index(['provider_id', 'email'])
    })
    // Substring search on names ("maria sil") for the inbox and contact search boxes.
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    this.schema.raw('CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops)')

    // How a contact is reached: one contact may have a phone, a WhatsApp @lid, a Telegram id, an e-mail.
    this.schema.createTable('contact_identities', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE')
      t.string('kind', 24).notNullable() // whatsapp | whatsapp_lid | telegram | email | simulator
      t.string('value', 254).notNullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      t.unique(['provider_id', 'kind', 'value'])
      t.index(['provider_id', 'contact_id'])
    })
  }

  async down() {
    for (const table of ['contact_identities', 'contacts', 'inboxes', 'team_members', 'teams']) {
      this.schema.dropTableIfExists(table)
    }
  }
}
