import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (t) => {
      t.increments('id')
      t.string('name', 120).notNullable()
      t.string('email', 254).notNullable()
      t.string('password').notNullable()
      t.boolean('is_superadmin').notNullable().defaultTo(false)
      t.string('locale', 10).notNullable().defaultTo('pt-BR')
      t.string('theme', 10).notNullable().defaultTo('system')
      t.boolean('notification_sound').notNullable().defaultTo(true)
      t.timestamp('last_seen_at', { useTz: true }).nullable()
      t.timestamps(true, true)
    })
    this.schema.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))')

    this.schema.createTable('providers', (t) => {
      t.increments('id')
      t.string('name', 160).notNullable()
      t.string('legal_name', 200).nullable()
      t.string('document', 20).nullable() // CNPJ
      t.string('site', 300).nullable()
      t.string('email', 254).nullable()
      t.string('phone', 40).nullable()
      t.text('address').nullable()
      t.string('timezone', 64).notNullable().defaultTo('America/Sao_Paulo')
      t.string('locale', 10).notNullable().defaultTo('pt-BR')
      // { mon: [{ from: '08:00', to: '18:00' }], ... , sun: [] }
      t.jsonb('business_hours').notNullable().defaultTo('{}')
      t.jsonb('plans').notNullable().defaultTo('[]') // [{ name, speed, price, description }]
      t.jsonb('fees').notNullable().defaultTo('[]') // [{ name, amount, description }]
      t.jsonb('documents').notNullable().defaultTo('[]') // documents a new customer must bring
      t.jsonb('persona').notNullable().defaultTo('{}') // { agentName, style, emojiUse, greeting, instructions }
      t.jsonb('settings').notNullable().defaultTo('{}') // visibility rules and other small switches
      t.timestamp('suspended_at', { useTz: true }).nullable()
      t.timestamps(true, true)
    })

    this.schema.createTable('memberships', (t) => {
      t.increments('id')
      t.integer('provider_id').notNullable().references('providers.id').onDelete('CASCADE')
      t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
      t.string('role', 12).notNullable() // admin | supervisor | agent
      t.timestamps(true, true)
      t.unique(['provider_id', 'user_id'])
      t.index(['user_id'])
    })

    this.schema.createTable('auth_access_tokens', (t) => {
      t.increments('id')
      t.integer('tokenable_id').notNullable().references('users.id').onDelete('CASCADE')
      t.string('type').notNullable()
      t.string('name').nullable()
      t.string('hash').notNullable()
      t.text('abilities').notNullable()
      t.timestamp('created_at', { useTz: true })
      t.timestamp('updated_at', { useTz: true })
      t.timestamp('last_used_at', { useTz: true }).nullable()
      t.timestamp('expires_at', { useTz: true }).nullable()
      t.index(['tokenable_id'])
    })

    this.schema.createTable('password_reset_tokens', (t) => {
      t.increments('id')
      t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
      t.string('token_hash', 128).notNullable().unique()
      t.timestamp('expires_at', { useTz: true }).notNullable()
      t.timestamp('used_at', { useTz: true }).nullable()
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
  }

  async down() {
    for (const table of ['password_reset_tokens', 'auth_access_tokens', 'memberships', 'providers', 'users']) {
      this.schema.dropTableIfExists(table)
    }
  }
}
