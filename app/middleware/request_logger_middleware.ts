import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * One line per request (method, URL, status, duration) for operators; at debug level also the
 * headers and body, with credentials redacted by the logger config (config/logger.ts).
 */
export default class RequestLoggerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    const url = ctx.request.url()
    if (url.startsWith('/health/') || url.startsWith('/__transmit/events')) return next()
    try {
      await next()
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const line = { method: ctx.request.method(), url, status: ctx.response.getStatus(), ms: Math.round(ms * 10) / 10 }
      if (ctx.logger.isLevelEnabled('debug')) {
        ctx.logger.debug({ ...line, headers: ctx.request.headers(), body: ctx.request.all() }, 'request')
      } else {
        ctx.logger.info(line, 'request')
      }
    }
  }
}
