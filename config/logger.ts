import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/**
 * JSON lines in production (one object per line, with request id, provider id and job id), pretty in
 * development. Credentials are redacted by path so that no password, token or API key reaches a log.
 */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordConfirmation',
  'token',
  'apiKey',
  'apikey',
  'botToken',
  'clientSecret',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'x-telegram-bot-api-secret-token',
]
export const redactedPaths = SECRET_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`
  const member = (prefix: string) => (safe.startsWith('[') ? `${prefix}${safe}` : `${prefix}.${safe}`)
  return [safe.startsWith('[') ? key : safe, member('*'), member('*.*'), member('*.*.*')]
})

const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'niochat',
      level: env.get('LOG_LEVEL', app.inTest ? 'warn' : 'info'),
      redact: { paths: redactedPaths, censor: '[redacted]' },
      transport: {
        targets: targets()
          // Targets pass everything on ('trace'); the logger's own level does the filtering, so it
          // can be raised at run time.
          .pushIf(app.inDev && !env.get('LOG_FILE'), targets.pretty({}, 'trace'))
          .pushIf(!app.inDev && !env.get('LOG_FILE'), targets.file({ destination: 1 }, 'trace'))
          .pushIf(Boolean(env.get('LOG_FILE')), targets.file({ destination: env.get('LOG_FILE', ''), mkdir: true }, 'trace'))
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
