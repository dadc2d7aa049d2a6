import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface EvolutionConfig {
  baseUrl: string
  apiKey: string
  instance: string
  instanceToken?: string
  timeoutSeconds?: number
}

/**
 * Evolution API v2 over HTTP: `apikey` header (the global key or the instance token), instance name
 * as the last path segment. The key never appears in a URL, an error message or a log line.
 */
export class EvolutionClient {
  constructor(
    private readonly config: EvolutionConfig,
    private readonly logger: PluginLogger
  ) {}

  get instance() {
    return encodeURIComponent(this.config.instance)
  }

  async call<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const seconds = this.config.timeoutSeconds ?? 20
    const url = `${this.config.baseUrl.replace(/\/+$/, '')}${path}`
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers: { 'apikey': this.config.apiKey, 'content-type': 'application/json', 'accept': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(seconds * 1000),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new PluginError(
        timedOut ? 'timeout' : 'unavailable',
        timedOut ? `Evolution did not answer within ${seconds} s` : 'Evolution API is unreachable'
      )
    }
    const text = await response.text().catch(() => '')
    this.logger.debug({ path: path.split('/').slice(0, 3).join('/'), status: response.status }, 'evolution call')
    if (response.ok) {
      if (!text) return undefined as T
      try {
        return JSON.parse(text) as T
      } catch {
        throw new PluginError('unavailable', 'Evolution answered something that is not JSON', { status: response.status })
      }
    }
    const status = response.status
    const detail = describeError(text)
    if (status === 401 || status === 403) throw new PluginError('auth', 'Evolution refused the API key', { status })
    if (status === 404) throw new PluginError('not_found', `Evolution has no instance or route for this call${detail}`, { status })
    if (status === 429) throw new PluginError('rate_limited', 'Evolution is limiting requests', { status })
    if (status >= 500) throw new PluginError('unavailable', `Evolution failed (HTTP ${status})${detail}`, { status })
    throw new PluginError('bad_request', `Evolution rejected the request${detail}`, { status })
  }
}

/** Evolution's `{"response":{"message":[...]}}` as a short suffix; never echoes headers. */
function describeError(text: string) {
  try {
    const body = JSON.parse(text)
    const message = body?.response?.message ?? body?.message ?? body?.error
    if (message === undefined) return ''
    return `: ${JSON.stringify(message).slice(0, 300)}`
  } catch {
    return ''
  }
}
