import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface SgpConfig {
  baseUrl: string
  token: string
  app: string
  timeoutSeconds?: number
  ticketTypeNoConnection?: number
  ticketTypeSlow?: number
  ticketTypeOther?: number
}

export const DEFAULT_TIMEOUT_SECONDS = 15

type Fields = Record<string, string | number | boolean | undefined>

/**
 * The SGP "URA" API: every route is `POST /api/ura/<route>/`, authenticated by `app` and `token` in
 * the body. The token travels only in the body, never in a URL, so no error message or log line built
 * from a URL can carry it.
 */
export class SgpClient {
  constructor(
    private readonly config: SgpConfig,
    private readonly logger: PluginLogger
  ) {}

  /** Form-encoded, the encoding every URA route accepts. */
  form<T = any>(route: string, fields: Fields): Promise<T> {
    const body = new URLSearchParams()
    for (const [key, value] of Object.entries({ ...fields, app: this.config.app, token: this.config.token })) {
      if (value !== undefined) body.set(key, String(value))
    }
    return this.send<T>(route, body, 'application/x-www-form-urlencoded')
  }

  /** JSON, for the routes documented with a JSON body (`chamado` takes arrays). */
  json<T = any>(route: string, fields: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify({ ...fields, app: this.config.app, token: this.config.token })
    return this.send<T>(route, body, 'application/json')
  }

  private async send<T>(route: string, body: string | URLSearchParams, contentType: string): Promise<T> {
    const seconds = this.config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS
    const url = `${this.config.baseUrl.replace(/\/+$/, '')}/api/ura/${route}/`
    const started = Date.now()
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType, 'accept': 'application/json' },
        body,
        signal: AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000))),
      })
    } catch (error) {
      throw transportError(error, route, seconds)
    }
    const text = await response.text().catch(() => '')
    this.logger.debug({ route, status: response.status, ms: Date.now() - started }, 'sgp call')

    if (response.status === 401 || response.status === 403) {
      throw new PluginError('auth', 'SGP refused the app name or token', { status: response.status })
    }
    if (response.status === 404) {
      // Not every install exposes every URA route.
      throw new PluginError('unsupported', `this SGP does not offer ${route}`, { status: 404 })
    }
    if (response.status === 429) {
      throw new PluginError('rate_limited', 'SGP is limiting requests', {
        status: 429,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      })
    }
    if (response.status >= 500) {
      throw new PluginError('unavailable', `SGP failed on ${route} (HTTP ${response.status})`, { status: response.status })
    }
    if (response.status >= 400) {
      throw new PluginError('bad_request', `SGP rejected the ${route} request (HTTP ${response.status})`, {
        status: response.status,
      })
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new PluginError('unavailable', `SGP answered ${route} with something that is not JSON`)
    }
  }
}

function transportError(error: unknown, route: string, seconds: number): PluginError {
  const err = error as { name?: string; cause?: { code?: string } }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new PluginError('timeout', `SGP did not answer ${route} within ${seconds} s`)
  }
  return new PluginError('unavailable', `SGP is unreachable (${err?.cause?.code ?? 'network error'})`)
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = header ? Number(header) : Number.NaN
  return Number.isFinite(seconds) ? seconds * 1000 : undefined
}
