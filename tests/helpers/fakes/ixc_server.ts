import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture } from '#tests/helpers/fixtures'

export interface RecordedRequest {
  method: string
  table: string
  /** True when the request carried `ixcsoft: listar`. */
  listing: boolean
  headers: IncomingHttpHeaders
  body: Record<string, any>
}

type Row = Record<string, string>

/**
 * A fake IXC Provedor webservice over real HTTP, fed with the recorded payloads. Like IXC it wants
 * `POST /webservice/v1/<table>` with Basic auth built from the whole `<id>:<hash>` token; a request with
 * `ixcsoft: listar` is a listing (qtype/query/oper, grid_param as a JSON string, sort, page/rp), anything
 * else an insert or an action. Business errors are HTTP 200 `{type: "error"}`; "nothing found" is
 * `{"page":"1","total":0}` without `registros`; every scalar is a string.
 */
export class FakeIxc {
  readonly requests: RecordedRequest[] = []
  readonly tables: Record<string, Row[]> = {
    cliente: fixture('ixc-cliente-listar-response.json').registros,
    cliente_contrato: fixture('ixc-contrato-listar-response.json').registros,
    fn_areceber: fixture('ixc-areceber-listar-response.json').registros,
    radusuarios: fixture('ixc-radusuarios-listar-response.json').registros,
    su_ticket: [],
  }
  /** Largest page the fake serves, whatever `rp` asks (IXC caps it too). */
  maxPageSize = 1000
  delayMs = 0
  failStatus?: number
  /** Action routes this install does not have (404), e.g. `get_pix` on old versions. */
  missingRoutes = new Set<string>()

  private server!: Server
  private pending = new Set<NodeJS.Timeout>()
  private nextTicketId = Number(fixture('ixc-chamado-inserir-response.json').id)
  baseUrl = ''

  constructor(readonly token = '27:8f3c2a1e9b7d5c4a6e0f1b2d3c4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d') {}

  static async start(options: { token?: string } = {}) {
    const fake = new FakeIxc(options.token)
    await fake.listen()
    return fake
  }

  private listen() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk) => chunks.push(chunk))
      req.on('end', () => {
        const timer = setTimeout(() => {
          this.pending.delete(timer)
          if (res.destroyed) return
          try {
            this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'), res)
          } catch (error) {
            send(res, 500, `Fatal error: ${(error as Error).message}`, 'text/html')
          }
        }, this.delayMs)
        this.pending.add(timer)
      })
    })
    return new Promise<void>((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
        resolve()
      })
    })
  }

  async close() {
    for (const timer of this.pending) clearTimeout(timer)
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  calls(table: string, listing?: boolean) {
    return this.requests.filter((r) => r.table === table && (listing === undefined || r.listing === listing))
  }

  contract(id: string) {
    return this.tables.cliente_contrato.find((row) => row.id === id)
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse) {
    const match = /^\/webservice\/v1\/([a-z_0-9]+)$/.exec(url.split('?')[0])
    if (!match) return send(res, 404, 'Not Found', 'text/html')
    const table = match[1]
    const listing = String(headers.ixcsoft ?? '').toLowerCase() === 'listar'
    let body: Record<string, any> = {}
    try {
      body = raw ? JSON.parse(raw) : {}
    } catch {
      return send(res, 200, { type: 'error', message: 'Requisição inválida' })
    }
    this.requests.push({ method, table, listing, headers, body })

    if (this.failStatus) return send(res, this.failStatus, '<h1>502 Bad Gateway</h1>', 'text/html')
    if (headers.authorization !== `Basic ${Buffer.from(this.token).toString('base64')}`) {
      return send(res, 401, { type: 'error', message: 'Token inválido ou usuário sem permissão de acesso à API' })
    }
    if (method !== 'POST' && method !== 'PUT') return send(res, 405, 'Method Not Allowed', 'text/html')
    if (this.missingRoutes.has(table)) return send(res, 404, 'Not Found', 'text/html')

    if (listing) {
      if (!this.tables[table]) return send(res, 200, { type: 'error', message: `Tabela ${table} não encontrada` })
      return send(res, 200, this.list(table, body))
    }
    switch (table) {
      case 'get_pix':
        return send(res, 200, this.getPix(body))
      case 'desbloqueio_confianca':
        return send(res, 200, this.trustUnlock(body))
      case 'su_ticket':
        return send(res, 200, this.insertTicket(body))
      default:
        return send(res, 404, 'Not Found', 'text/html')
    }
  }

  private list(table: string, body: Record<string, any>) {
    const rows = this.tables[table]
    const column = (qualified: string) => {
      const [prefix, name] = String(qualified).split('.')
      if (prefix !== table || !name) return null
      return name
    }
    const filters: { field: string; op: string; value: string }[] = []
    const main = column(body.qtype)
    if (!main) return { type: 'error', message: `qtype inválido: ${body.qtype}` }
    filters.push({ field: main, op: body.oper ?? '=', value: String(body.query ?? '') })
    if (body.grid_param !== undefined) {
      if (typeof body.grid_param !== 'string') return { type: 'error', message: 'grid_param deve ser uma string JSON' }
      for (const p of JSON.parse(body.grid_param)) {
        const field = column(p.TB)
        if (!field) return { type: 'error', message: `grid_param inválido: ${p.TB}` }
        filters.push({ field, op: p.OP, value: String(p.P) })
      }
    }
    for (const f of filters) {
      if (rows.length && !(f.field in rows[0])) return { type: 'error', message: `Coluna ${f.field} não existe` }
    }
    let found = rows.filter((row) => filters.every((f) => compare(row[f.field] ?? '', f.op, f.value)))
    const sort = column(body.sortname ?? `${table}.id`)
    if (sort) {
      const direction = body.sortorder === 'desc' ? -1 : 1
      found = [...found].sort((a, b) => direction * compareValues(a[sort] ?? '', b[sort] ?? ''))
    }
    const page = Math.max(1, Number(body.page ?? 1))
    const size = Math.min(this.maxPageSize, Math.max(1, Number(body.rp ?? 20)))
    const slice = found.slice((page - 1) * size, page * size)
    if (found.length === 0) return { page: '1', total: 0 }
    return { page: String(page), total: String(found.length), registros: slice }
  }

  private getPix(body: Record<string, any>) {
    const invoice = this.tables.fn_areceber.find((row) => row.id === String(body.id_areceber ?? ''))
    if (!invoice) return { type: 'error', message: 'Conta a receber não encontrada' }
    if (!invoice.pix_txid) return { type: 'error', message: 'Carteira de cobrança sem PIX configurado' }
    const answer = fixture('ixc-get-pix-response.json')
    answer.pix.dadosPix.txid = invoice.pix_txid
    return answer
  }

  /** IXC's own rules, as goixc documents the codes. */
  private trustUnlock(body: Record<string, any>) {
    const contract = this.contract(String(body.id ?? ''))
    if (!contract) return { tipo: 'erro', codigo: '106', mensagem: 'Contrato inexistente!' }
    if (contract.desbloqueio_confianca === 'N') return fixture('ixc-desbloqueio-confianca-refused.json')
    if (contract.status_internet === 'A') return { tipo: 'erro', codigo: '107', mensagem: 'Contrato já está ativo!' }
    contract.status_internet = 'A'
    contract.desbloqueio_confianca_ativo = 'S'
    return fixture('ixc-desbloqueio-confianca-success.json')
  }

  private insertTicket(body: Record<string, any>) {
    for (const field of ['id_cliente', 'id_assunto', 'titulo', 'menssagem']) {
      if (!String(body[field] ?? '').trim()) return { type: 'error', message: `O campo ${field} é obrigatório!` }
    }
    if (!this.tables.cliente.some((row) => row.id === String(body.id_cliente))) {
      return { type: 'error', message: 'Cliente não encontrado!' }
    }
    const id = String(this.nextTicketId++)
    const protocolo = `2025061${id.padStart(7, '0')}`
    this.tables.su_ticket.push({ ...stringify(body), id, protocolo })
    return { ...fixture('ixc-chamado-inserir-response.json'), id }
  }
}

function stringify(record: Record<string, unknown>): Row {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v ?? '')]))
}

function compareValues(a: string, b: string) {
  const numeric = /^-?\d+(\.\d+)?$/
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b)
  return a.localeCompare(b)
}

function compare(actual: string, op: string, expected: string) {
  switch (op) {
    case '=':
      return actual === expected
    case '!=':
      return actual !== expected
    case '>':
      return compareValues(actual, expected) > 0
    case '<':
      return compareValues(actual, expected) < 0
    case '>=':
      return compareValues(actual, expected) >= 0
    case '<=':
      return compareValues(actual, expected) <= 0
    case 'L':
      return actual.toLowerCase().includes(expected.toLowerCase())
    default:
      return false
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` })
  res.end(typeof body === 'string' ? body : phpJson(body))
}

/** JSON the way IXC's PHP writes it: "/" as "\/" and non-ASCII as \u escapes. */
function phpJson(value: unknown) {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
