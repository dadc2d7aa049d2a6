import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface TelegramConfig {
  botToken: string
  apiBaseUrl?: string
  timeoutSeconds?: number
}

/**
 * Bot API calls (`POST <api>/bot<token>/<method>`, JSON or multipart). Errors carry Telegram's own
 * `error_code`: 429 with `parameters.retry_after` becomes a rate limit with the exact wait.
 * The token is part of every URL, so URLs are never logged.
 */
export class TelegramClient {
  constructor(
    private readonly config: TelegramConfig,
    private readonly logger: PluginLogger
  ) {}

  get #base() {
    return (this.config.apiBaseUrl || 'https://api.telegram.org').replace(/\/+$/, '')
  }

  async call<T = any>(method: string, body?: Record<string, unknown> | FormData): Promise<T> {
    const response = await this.#fetch(`${this.#base}/bot${this.config.botToken}/${method}`, {
      method: 'POST',
      headers: body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    }, method)
    const answer = (await response.json().catch(() => null)) as { ok?: boolean; result?: T; error_code?: number; description?: string; parameters?: { retry_after?: number } } | null
    this.logger.debug({ method, status: response.status }, 'telegram call')
    if (answer?.ok) return answer.result as T
    const code = answer?.error_code ?? response.status
    const description = String(answer?.description ?? `HTTP ${response.status}`).slice(0, 300)
    if (code === 429) {
      const seconds = Number(answer?.parameters?.retry_after ?? 1)
      throw new PluginError('rate_limited', `Telegram asks to wait ${seconds} s`, { retryAfterMs: seconds * 1000, status: 429 })
    }
    // A wrong token is 401 "Unauthorized"; a malformed one is 404 "Not Found".
    if (code === 401 || code === 404) throw new PluginError('auth', 'Telegram refused the bot token', { status: code })
    if (code === 403) throw new PluginError('refused', `Telegram refused: ${description}`, { status: code })
    if (code >= 500) throw new PluginError('unavailable', `Telegram failed: ${description}`, { status: code })
    throw new PluginError('bad_request', `Telegram rejected the request: ${description}`, { status: code })
  }

  /** A file's bytes: `getFile` gives its path, then the file URL (valid for at least an hour). */
  async download(fileId: string): Promise<{ response: Response; path: string }> {
    const file = await this.call<{ file_path?: string }>('getFile', { file_id: fileId })
    if (!file?.file_path) throw new PluginError('not_found', 'Telegram has no file for this id (over 20 MB, or expired)')
    const response = await this.#fetch(`${this.#base}/file/bot${this.config.botToken}/${file.file_path}`, { method: 'GET' }, 'file')
    if (!response.ok || !response.body) throw new PluginError('unavailable', `Telegram did not serve the file (HTTP ${response.status})`)
    return { response, path: file.file_path }
  }

  async #fetch(url: string, init: RequestInit, what: string): Promise<Response> {
    const seconds = this.config.timeoutSeconds ?? 20
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(seconds * 1000) })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      this.logger.warn({ method: what, timedOut }, 'telegram call failed')
      throw new PluginError(timedOut ? 'timeout' : 'unavailable', timedOut ? `Telegram did not answer within ${seconds} s` : 'Telegram is unreachable')
    }
  }
}
