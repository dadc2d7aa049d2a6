import env from '#start/env'
import app from '@adonisjs/core/services/app'

/**
 * Where PostgreSQL and Redis are. Without DATABASE_URL / REDIS_URL the local defaults are used, the
 * same ones `npm run services` makes sure exist. Tests never touch the development database: they use
 * TEST_DATABASE_URL or, by default, the same server with `_test` appended to the database name.
 */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/niochat'
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

export function databaseUrl(): string {
  const main = env.get('DATABASE_URL') || DEFAULT_DATABASE_URL
  if (!app.inTest) return main
  const explicit = env.get('TEST_DATABASE_URL')
  if (explicit) return explicit
  const url = new URL(main)
  url.pathname = `${url.pathname.replace(/^\//, '') || 'niochat'}_test`
  return url.toString()
}

export interface RedisOptions {
  host: string
  port: number
  username?: string
  password?: string
  db: number
  tls?: {}
}

/** ioredis options from REDIS_URL (redis:// or rediss://). Tests use database 1 so dev data is untouched. */
export function redisOptions(): RedisOptions {
  const url = new URL(env.get('REDIS_URL') || DEFAULT_REDIS_URL)
  const dbFromPath = Number(url.pathname.replace('/', '')) || 0
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: app.inTest && !url.pathname.replace('/', '') ? 1 : dbFromPath,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  }
}
