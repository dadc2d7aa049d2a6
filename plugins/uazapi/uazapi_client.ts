import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface UazapiConfig {
  baseUrl: string
  token: string
  timeoutSeconds?: number
}

/** uazapiGO v2: every instance route takes the instance token in the `token` header. */
export class UazapiClient {
  constructor(
    private readonly config: UazapiConfig,
    private readonly logger: PluginLogger
  ) {}

  async call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const seconds = this.config.timeoutSeconds ?? 20
    let response: Response
    try {
      response = await fetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { 'token': this.config.token, 'content-type': 'application/json', 'accept': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(seconds * 1000),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new PluginError(
        timedOut ? 'timeout' : 'unavailable',
        timedOut ? `Uazapi did not answer within ${seconds} s` : 'Uazapi is unreachable'
      )
    }
    const text = await response.text().catch(() => '')
    this.logger.debug({ path, status: response.status }, 'uazapi call')
    if (response.ok) {
      if (!text) return undefined as T
      try {
        return JSON.parse(text) as T
      } catch {
        throw new PluginError('unavailable', 'Uazapi answered something that is not JSON', { status: response.status })
      }
    }
    const status = response.status
    let detail = ''
    try {
      const parsed = JSON.parse(text)
      if (parsed?.error || parsed?.message) detail = `: ${String(parsed.error ?? parsed.message).slice(0, 300)}`
    } catch {}
    if (status === 401 || status === 403) throw new PluginError('auth', 'Uazapi refused the instance token', { status })
    if (status === 404) throw new PluginError('not_found', `Uazapi found nothing for this call${detail}`, { status })
    if (status === 429) throw new PluginError('rate_limited', 'Uazapi is limiting requests', { status })
    if (status >= 500) throw new PluginError('unavailable', `Uazapi failed (HTTP ${status})${detail}`, { status })
    throw new PluginError('bad_request', `Uazapi rejected the request${detail}`, { status })
  }
}
