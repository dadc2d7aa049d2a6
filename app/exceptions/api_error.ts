import { Exception } from '@adonisjs/core/exceptions'

/**
 * An error the API answers with a 4xx in the public format `{ errors: [{ message, field? }] }`.
 * Throw it from services; the exception handler renders it.
 */
export default class ApiError extends Exception {
  constructor(
    status: number,
    message: string,
    readonly field?: string,
    readonly rule?: string
  ) {
    super(message, { status })
  }

  static notFound(what = 'Resource') {
    return new ApiError(404, `${what} not found`)
  }

  static forbidden(message = 'Your role does not allow this action') {
    return new ApiError(403, message)
  }
}
