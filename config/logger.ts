import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/**
 * JSON lines in production (one object per line, with request id, provider id and job id), pretty in
 * development. Credentials are redacted by path so that no password, token or API key reaches a log.
 */
export const redactedPaths = [
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  '*.apiKey',
  '*.*.apiKey',
  '*.botToken',
  '*.*.botToken',
  '*.clientSecret',
  '*.*.clientSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
]

const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: env.get('APP_NAME', 'niochat'),
      level: env.get('LOG_LEVEL', app.inTest ? 'warn' : 'info'),
      redact: { paths: redactedPaths, censor: '[redacted]' },
      transport: {
        targets: targets()
          .pushIf(app.inDev, targets.pretty())
          .pushIf(!app.inDev, targets.file({ destination: 1 }))
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
