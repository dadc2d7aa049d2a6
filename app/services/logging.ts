import { AsyncLocalStorage } from 'node:async_hooks'
import { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import type { Logger } from '@adonisjs/core/logger'

const jobScope = new AsyncLocalStorage<Logger>()

/**
 * The logger of whatever is running now: the HTTP request's (carrying request_id, provider_id and
 * user_id) or the job's (carrying job_id, queue and provider_id), else the app logger. Services log
 * through this so every line says which request or job it belongs to.
 */
export function currentLogger(): Logger {
  return jobScope.getStore() ?? HttpContext.get()?.logger ?? logger
}

/** Runs a job's work with a logger that tags every line with the job's identity. */
export function withJobLogger<T>(bindings: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  return jobScope.run(logger.child(bindings), work)
}
