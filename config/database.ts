import pg from 'pg'
import { defineConfig } from '@adonisjs/lucid'
import { databaseUrl } from '#config/connections'

/* bigint ids (messages, audit logs) stay well below 2^53; the API promises integer ids, not strings. */
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10))

export default defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection: { connectionString: databaseUrl() },
      pool: { min: 0, max: 10 },
      migrations: { naturalSort: true, paths: ['database/migrations'] },
      /* Models declare their columns themselves; no generated database/schema.ts to keep in sync. */
      schemaGeneration: { enabled: false },
      seeders: { paths: ['database/seeders'] },
    },
  },
})
