import { createHash } from 'node:crypto'
import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface MkauthConfig {
  baseUrl: string
  clientId: string
  clientSecret: string
  timeoutSeconds?: number
  trustUnlockDays?: number
}

export const DEFAULT_TIMEOUT_SECONDS = 15
/** Renew a token this long before its `exp`, so a request never leaves with one about to lapse. */
const EXPIRY_MARGIN_MS = 30_000
/** When a token carries no readable `exp`: MK-Auth's tokens last about ten minutes. */
const FALLBACK_LIFETIME_MS = 5 * 60_000

/**
 * Tokens per instance (provider + address + credentials), shared by every client object: the host
 * may build a new adapter per call, and MK-Auth should not mint a JWT per request.
 */
const tokens = new Map<string, { jwt: string; expiresAt: number }>()

/**
 * The MK-Auth API: `GET /api/` with Basic client id/secret answers a raw JWT; every other call carries
 * it as a Bearer token. `what` names the route in errors and logs: the paths themselves carry the
 * customer's login, which is kept out of both.
 */
export class MkauthClient {
  private readonly cacheKey: string

  constructor(
    private readonly config: MkauthConfig,
    private readonly logger: PluginLogger,
    providerId: number
  ) {
    const secret = createHash('sha256').update(String(config.clientSecret)).digest('hex').slice(0, 16)
    this.cacheKey = `${providerId}|${this.base}|${config.clientId}|${secret}`
  }

  get(what: string, path: string) {
    return this.request(what, 'GET', path)
  }

  put(what: string, path: string, body: Record<string, unknown>) {
    return this.request(what, 'PUT', path, body)
  }

  post(what: string, path: string, body: Record<string, unknown>) {
    return this.request(what, 'POST', path, body)
  }

  /** Asks for a fresh token, bypassing the cache: what "test connection" needs to prove. */
  async freshToken(): Promise<void> {
    tokens.delete(this.cacheKey)
    await this.token()
  }

  private get base() {
    return this.config.baseUrl.replace(/\/+$/, '').replace(/\/api$/, '')
  }

  private async request(what: string, method: string, path: string, body?: object, renewed = false): Promise<any> {
    const jwt = await this.token()
    const response = await this.fetch(what, `${this.base}/api/${path}`, {
      method,
      headers: {
        'authorization': `Bearer ${jwt}`,
        'accept': 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (response.status === 401 && !renewed) {
      // Revoked or expired early (a clock apart from ours): one new token, one more try.
      tokens.delete(this.cacheKey)
      await response.body?.cancel()
      return this.request(what, method, path, body, true)
    }
    const text = await this.readOrFail(what, response)
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch {
      // Self-hosted panels answer PHP errors with HTTP 200.
      throw new PluginError('unavailable', `MK-Auth answered ${what} with something that is not JSON`)
    }
  }

  private async token(): Promise<string> {
    const cached = tokens.get(this.cacheKey)
    if (cached && cached.expiresAt > Date.now()) return cached.jwt

    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')
    const response = await this.fetch('token', `${this.base}/api/`, {
      method: 'GET',
      headers: { authorization: `Basic ${basic}` },
    })
    if (response.status === 401 || response.status === 403) {
      throw new PluginError('auth', 'MK-Auth refused the client id or secret', { status: response.status })
    }
    const jwt = parseToken(await this.readOrFail('token', response))
    if (!jwt) throw new PluginError('unavailable', 'MK-Auth answered the token call without a token')

    const exp = expiryOf(jwt)
    const expiresAt = exp === undefined ? Date.now() + FALLBACK_LIFETIME_MS : exp - EXPIRY_MARGIN_MS
    tokens.set(this.cacheKey, { jwt, expiresAt })
    return jwt
  }

  private async fetch(what: string, url: string, init: RequestInit): Promise<Response> {
    const seconds = this.config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS
    const started = Date.now()
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000))) })
      this.logger.debug({ what, status: response.status, ms: Date.now() - started }, 'mkauth call')
      return response
    } catch (error) {
      const err = error as { name?: string; cause?: { code?: string } }
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        throw new PluginError('timeout', `MK-Auth did not answer ${what} within ${seconds} s`)
      }
      throw new PluginError('unavailable', `MK-Auth is unreachable (${err?.cause?.code ?? 'network error'})`)
    }
  }

  private async readOrFail(what: string, response: Response): Promise<string> {
    const text = await response.text().catch(() => '')
    const status = response.status
    if (status === 401 || status === 403) throw new PluginError('auth', `MK-Auth refused the token on ${what}`, { status })
    if (status === 404) throw new PluginError('unsupported', `this MK-Auth does not offer ${what}`, { status })
    if (status === 429) throw new PluginError('rate_limited', 'MK-Auth is limiting requests', { status })
    if (status >= 500) throw new PluginError('unavailable', `MK-Auth failed on ${what} (HTTP ${status})`, { status })
    if (status >= 400) throw new PluginError('bad_request', `MK-Auth rejected the ${what} request (HTTP ${status})`, { status })
    return text
  }
}

/** The body is the bare JWT; some versions add a BOM, quotes, a newline or wrap it as `{token}`. */
function parseToken(body: string): string | undefined {
  let text = body.replace(/^\uFEFF/, '').trim()
  if (text.startsWith('{')) {
    try {
      text = String(JSON.parse(text).token ?? '')
    } catch {
      return undefined
    }
  }
  text = text.replace(/^"+|"+$/g, '').trim()
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(text) ? text : undefined
}

/** `exp` in ms, read without verifying the signature (the key is MK-Auth's, not ours). */
function expiryOf(jwt: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined
  } catch {
    return undefined
  }
}
