import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import ApiError from '#exceptions/api_error'

interface ErrorItem {
  message: string
  field?: string
  rule?: string
}

/**
 * JSON clients (the REST API, webhooks, the web app's fetch calls) get every error as
 * `{ errors: [{ message, field?, rule? }] }` with its 4xx status; 5xx only for real faults, whose
 * details stay in the log. Pages get the usual HTML handling.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction
  protected renderStatusPages = false

  async handle(error: unknown, ctx: HttpContext) {
    if (!this.wantsJson(ctx)) {
      // Web forms: too many login attempts come back to the form as a message, not an error page.
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS && 'session' in ctx) {
        ctx.session.flash('error', 'auth.throttled')
        return ctx.response.redirect().back()
      }
      return super.handle(error, ctx)
    }

    const { status, errors, headers } = this.describe(error)
    for (const [name, value] of Object.entries(headers)) ctx.response.header(name, value)
    return ctx.response.status(status).send({ errors })
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }

  private wantsJson(ctx: HttpContext) {
    const url = ctx.request.url()
    return (
      url.startsWith('/api/') ||
      url.startsWith('/webhooks/') ||
      url.startsWith('/health/') ||
      url.startsWith('/__transmit/') ||
      ctx.request.accepts(['html', 'json']) === 'json'
    )
  }

  private describe(error: unknown): { status: number; errors: ErrorItem[]; headers: Record<string, string> } {
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const messages = (error.messages as ErrorItem[]).map(({ message, field, rule }) => ({ message, field, rule }))
      return { status: 422, errors: messages, headers: {} }
    }
    if (error instanceof ApiError) {
      return { status: error.status, errors: [this.item(error.message, error.field, error.rule)], headers: {} }
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return { status: 401, errors: [{ message: 'Authentication required' }], headers: {} }
    }
    if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return { status: 401, errors: [{ message: 'Invalid e-mail or password' }], headers: {} }
    }
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
      return { status: 403, errors: [{ message: 'Your role does not allow this action' }], headers: {} }
    }
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      const retryAfter = String(error.response.availableIn)
      return {
        status: 429,
        errors: [{ message: `Too many attempts. Try again in ${retryAfter} seconds` }],
        headers: { 'Retry-After': retryAfter },
      }
    }
    const status = Number((error as { status?: number }).status) || 500
    if (status >= 500) return { status, errors: [{ message: 'Internal server error' }], headers: {} }
    const code = (error as { code?: string }).code
    const message =
      code === 'E_ROUTE_NOT_FOUND' ? 'Not found' : (error as Error).message || 'Request could not be processed'
    return { status, errors: [{ message }], headers: {} }
  }

  private item(message: string, field?: string, rule?: string): ErrorItem {
    return { message, ...(field ? { field } : {}), ...(rule ? { rule } : {}) }
  }
}
