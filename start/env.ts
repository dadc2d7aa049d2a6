/*
 * Every environment variable NioChat reads, validated at boot. A missing or malformed value stops the
 * process with a message naming the variable. Each one is documented in README.md and .env.example.
 */
import { Env } from '@adonisjs/core/env'

/* Env's `format: 'url'` only accepts http, https and ftp, so postgres:// and redis:// URLs need their own check. */
function serviceUrl(protocols: string[]) {
  return (name: string, value?: string) => {
    if (!value) return undefined
    let protocol = ''
    try {
      protocol = new URL(value).protocol.replace(/:$/, '')
    } catch {}
    if (!protocols.includes(protocol)) {
      throw new Error(`Value for environment variable "${name}" must be a ${protocols[0]}:// URL`)
    }
    return value
  }
}

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum.optional(['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const),
  /* Write JSON log lines to this file instead of stdout. */
  LOG_FILE: Env.schema.string.optional(),

  DATABASE_URL: serviceUrl(['postgres', 'postgresql']),
  TEST_DATABASE_URL: serviceUrl(['postgres', 'postgresql']),
  REDIS_URL: serviceUrl(['redis', 'rediss']),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory', 'redis'] as const),

  /* Runs the queue workers inside the web process (handy on one small box; off when `worker` runs apart). */
  WORKER_IN_WEB: Env.schema.boolean.optional(),
  /* How long realtime events are kept for reconnecting clients to catch up (default 72). */
  REALTIME_RETENTION_HOURS: Env.schema.number.optional(),
  /* The customer simulator channel and page (default: on outside production). */
  SIMULATOR_ENABLED: Env.schema.boolean.optional(),

  /* Outgoing e-mail (password reset). Without SMTP_HOST, mails are written to the log instead. */
  SMTP_HOST: Env.schema.string.optional(),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.secret.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string.optional({ format: 'email' }),
  MAIL_FROM_NAME: Env.schema.string.optional(),

  /* Media storage: local disk (default) or any S3-compatible bucket. */
  DRIVE_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  S3_BUCKET: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.secret.optional(),

  /* First-boot superadmin, created or updated when both are set. */
  NIOCHAT_ADMIN_EMAIL: Env.schema.string.optional({ format: 'email' }),
  NIOCHAT_ADMIN_PASSWORD: Env.schema.secret.optional(),


  /* Rate-limit storage (login attempts): redis in production, memory in tests. */
  LIMITER_STORE: Env.schema.enum.optional(['redis', 'memory'] as const),
})
