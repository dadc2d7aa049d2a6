import { PluginError, type PluginLogger } from '#plugins/sdk'

export interface IxcConfig {
  baseUrl: string
  /** `<user id>:<hash>` as IXC shows it on the API token screen. */
  token: string
  timeoutSeconds?: number
  ticketSubjectId?: string | number
  ticketSectorId?: string | number
}

export const DEFAULT_TIMEOUT_SECONDS = 15
/** Rows per page asked of a listing, and how many pages we follow before giving up on the rest. */
const PAGE_SIZE = 100
const MAX_PAGES = 10

export interface ListQuery {
  /** `table.column` */
  qtype: string
  query: string
  /** `=`, `!=`, `<`, `>`, `<=`, `>=`, `L` (like) */
  oper?: string
  sortname?: string
  sortorder?: 'asc' | 'desc'
  /** Extra AND filters. */
  where?: { TB: string; OP: string; P: string }[]
}

/** IXC answers a business error as HTTP 200 `{type: "error", message}`; these wordings mean bad credentials. */
const AUTH_MESSAGE = /token|autentica|autoriza|permiss|acesso negado/i

/**
 * The IXC Provedor webservice: `POST /webservice/v1/<table>`, HTTP Basic built from the whole
 * `<id>:<hash>` token. A listing carries the header `ixcsoft: listar`; inserts and actions do not.
 */
export class IxcClient {
  constructor(
    private readonly config: IxcConfig,
    private readonly logger: PluginLogger
  ) {}

  /** Every row matching the query, following pages (IXC caps `rp`). */
  async list(table: string, q: ListQuery): Promise<Record<string, string>[]> {
    const rows: Record<string, string>[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await this.call(table, {
        qtype: q.qtype,
        query: q.query,
        oper: q.oper ?? '=',
        page: String(page),
        rp: String(PAGE_SIZE),
        sortname: q.sortname ?? `${table}.id`,
        sortorder: q.sortorder ?? 'asc',
        ...(q.where?.length ? { grid_param: JSON.stringify(q.where) } : {}),
      }, true)
      if (answer?.type === 'error') throw businessError(table, answer.message)
      // "Nothing" is `total: 0`, `"0"`, or no `registros` at all.
      const batch: Record<string, string>[] = Array.isArray(answer?.registros) ? answer.registros : []
      rows.push(...batch)
      const total = Number(answer?.total ?? 0)
      if (batch.length === 0 || rows.length >= total) break
    }
    return rows
  }

  /** An insert or an action route (`get_pix`, `desbloqueio_confianca`): a plain POST of the record. */
  post(table: string, body: Record<string, unknown>): Promise<any> {
    return this.call(table, body, false)
  }

  private async call(table: string, body: Record<string, unknown>, listing: boolean): Promise<any> {
    const seconds = this.config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS
    const base = this.config.baseUrl.replace(/\/+$/, '').replace(/\/webservice\/v1$/, '')
    const headers: Record<string, string> = {
      'authorization': `Basic ${Buffer.from(String(this.config.token).trim()).toString('base64')}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    }
    if (listing) headers.ixcsoft = 'listar'
    const started = Date.now()
    let response: Response
    try {
      response = await fetch(`${base}/webservice/v1/${table}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000))),
      })
    } catch (error) {
      const err = error as { name?: string; cause?: { code?: string } }
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        throw new PluginError('timeout', `IXC did not answer ${table} within ${seconds} s`)
      }
      throw new PluginError('unavailable', `IXC is unreachable (${err?.cause?.code ?? 'network error'})`)
    }
    const text = await response.text().catch(() => '')
    this.logger.debug({ table, listing, status: response.status, ms: Date.now() - started }, 'ixc call')

    if (response.status === 401 || response.status === 403) {
      throw new PluginError('auth', 'IXC refused the API token', { status: response.status })
    }
    if (response.status === 404) {
      throw new PluginError('unsupported', `this IXC does not offer ${table}`, { status: 404 })
    }
    if (response.status === 429) {
      throw new PluginError('rate_limited', 'IXC is limiting requests', { status: 429 })
    }
    if (response.status >= 500) {
      throw new PluginError('unavailable', `IXC failed on ${table} (HTTP ${response.status})`, { status: response.status })
    }
    if (response.status >= 400) {
      throw new PluginError('bad_request', `IXC rejected the ${table} request (HTTP ${response.status})`, {
        status: response.status,
      })
    }
    let answer: any
    try {
      answer = JSON.parse(text)
    } catch {
      throw new PluginError('unavailable', `IXC answered ${table} with something that is not JSON`)
    }
    if (answer?.type === 'error' && AUTH_MESSAGE.test(String(answer.message ?? ''))) {
      throw new PluginError('auth', `IXC refused the API token: ${String(answer.message).slice(0, 200)}`)
    }
    return answer
  }
}

function businessError(table: string, message: unknown) {
  return new PluginError('bad_request', `IXC rejected the ${table} listing: ${String(message ?? '').slice(0, 200)}`)
}
