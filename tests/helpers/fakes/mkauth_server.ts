import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture, fixtureText } from '#tests/helpers/fixtures'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Record<string, any>
}

type Row = Record<string, any>

/**
 * A fake MK-Auth API over real HTTP, fed with the recorded payloads. Like MK-Auth, `GET /api/` with
 * Basic client id/secret answers a raw JWT (the recorded one, re-dated so its `exp` lies `tokenTtlSeconds`
 * ahead); every other route wants that token as a Bearer and answers 401 once it has expired or was
 * revoked. "Nothing found" is HTTP 200 `{"mensagem":"Registro não encontrado"}`. The customer is the
 * fixtures' one: two logins (one record each) under the same CPF, `maria.souza.loja` blocked.
 */
export class FakeMkauth {
  readonly requests: RecordedRequest[] = []
  clientes: Row[] = fixture('mkauth-cliente-listar-response.json').clientes
  /** What `titulo/aberto` knows (titles not yet due) and what `titulo/vencido` knows (overdue ones). */
  abertos: Row[] = fixture('mkauth-titulo-aberto-response.json').titulos
  vencidos: Row[] = [
    {
      ...fixture('mkauth-titulo-aberto-response.json').titulos[0],
      uuid: '7A0E5C3B-1D2F-4B6A-8C9E-0F1A2B3C4D5E',
      uuid_lanc: '7A0E5C3B-1D2F-4B6A-8C9E-0F1A2B3C4D5E',
      titulo: '879301',
      datavenc: '2025-05-10 00:00:00',
      nossonum: '0087930101',
      linhadig: '75691.43200 01008.793017 30000.022101 4 10950000008990',
      status: 'vencido',
    },
  ]
  chamados: Row[] = []
  /** Lifetime of the tokens it issues; ≤ 0 issues tokens that have already expired. */
  tokenTtlSeconds = 600
  /** Leave `chamado` out of the insert answer, as some versions do. */
  omitTicketNumber = false
  delayMs = 0
  failStatus?: number

  private issued = new Map<string, number>()
  private server!: Server
  private pending = new Set<NodeJS.Timeout>()
  baseUrl = ''

  constructor(
    readonly clientId = 'niochat',
    readonly clientSecret = 'mk-secret-9c15-7d0e2b4f8a63'
  ) {}

  static async start(options: { clientId?: string; clientSecret?: string } = {}) {
    const fake = new FakeMkauth(options.clientId, options.clientSecret)
    await fake.listen()
    return fake
  }

  /** Tokens handed out so far (the adapter should cache one, not ask per call). */
  get tokensIssued() {
    return this.requests.filter((r) => r.path === '/api/').length
  }

  /** Forget every token, as a restarted MK-Auth or a changed secret would. */
  revokeTokens() {
    this.issued.clear()
  }

  calls(prefix: string) {
    return this.requests.filter((r) => r.path.startsWith(`/api/${prefix}`))
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
            send(res, 200, `<br /><b>Fatal error</b>: ${(error as Error).message}`, 'text/html')
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

  private mintToken() {
    const [header, , signature] = fixtureText('mkauth-token-response.txt').trim().split('.')
    const iat = Math.floor(Date.now() / 1000)
    const exp = iat + this.tokenTtlSeconds
    const payload = Buffer.from(JSON.stringify({ iat, exp, jti: this.issued.size + 1 })).toString('base64url')
    const jwt = `${header}.${payload}.${signature}`
    this.issued.set(jwt, exp)
    return jwt
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse) {
    const path = url.split('?')[0]
    let body: Row = {}
    if (raw) {
      try {
        body = JSON.parse(raw)
      } catch {
        return send(res, 200, { status: 'erro', mensagem: 'JSON inválido' })
      }
    }
    this.requests.push({ method, path, headers, body })
    if (this.failStatus) return send(res, this.failStatus, '<h1>503 Service Unavailable</h1>', 'text/html')

    if (path === '/api/' || path === '/api') {
      const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`
      if (method !== 'GET' || headers.authorization !== expected) {
        return send(res, 401, { error: 'Client_Id ou Client_Secret inválidos' })
      }
      // The raw JWT: not JSON, no quotes, no newline.
      return send(res, 200, this.mintToken(), 'text/html')
    }

    const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1]
    const exp = bearer ? this.issued.get(bearer) : undefined
    if (!exp || exp * 1000 <= Date.now()) return send(res, 401, { error: 'Token inválido ou expirado' })

    const route = (pattern: RegExp, verb: string) => (method === verb ? pattern.exec(path) : null)
    let m: RegExpExecArray | null
    if ((m = route(/^\/api\/cliente\/listar\/([a-z_]+)=(.+)$/, 'GET'))) {
      const [field, value] = [m[1], decodeURIComponent(m[2])]
      const found = this.clientes.filter((c) => String(c[field] ?? '') === value)
      if (!found.length) return send(res, 200, { mensagem: 'Registro não encontrado' })
      return send(res, 200, {
        total_registros: found.length,
        consulta_atual: found.length,
        pagina_atual: 1,
        total_paginas: 1,
        clientes: found,
      })
    }
    if ((m = route(/^\/api\/cliente\/show\/(.+)$/, 'GET'))) {
      const key = decodeURIComponent(m[1])
      const found = this.clientes.find((c) => c.uuid === key || c.login === key)
      if (!found) return send(res, 200, { mensagem: 'Registro não encontrado' })
      return send(res, 200, { observacao: 'nao', rem_obs: null, ...found })
    }
    if ((m = route(/^\/api\/titulo\/(aberto|vencido)\/(.+)$/, 'GET'))) {
      const key = decodeURIComponent(m[2])
      const titles = (m[1] === 'aberto' ? this.abertos : this.vencidos).filter(
        (t) => t.login === key || t.cpf_cnpj === key
      )
      if (!titles.length) return send(res, 200, { mensagem: 'Registro não encontrado' })
      return send(res, 200, { Total: titles.length, titulos: titles })
    }
    if ((m = route(/^\/api\/cliente\/editar$/, 'PUT'))) {
      const found = this.clientes.find((c) => c.uuid === body.uuid)
      if (!found) return send(res, 200, { status: 'erro', mensagem: 'Cliente não encontrado' })
      Object.assign(found, body)
      return send(res, 200, { ...fixture<Row>('mkauth-cliente-editar-response.json'), ...body })
    }
    if ((m = route(/^\/api\/chamado\/inserir$/, 'POST'))) {
      return send(res, 200, this.insertTicket(body))
    }
    if ((m = route(/^\/api\/chamado\/listar\/login=(.+)$/, 'GET'))) {
      const found = this.chamados.filter((c) => c.login === decodeURIComponent(m![1]))
      if (!found.length) return send(res, 200, { mensagem: 'Registro não encontrado' })
      return send(res, 200, { total_registros: found.length, chamados: found })
    }
    return send(res, 404, '<h1>404 Not Found</h1>', 'text/html')
  }

  private insertTicket(body: Row) {
    const categories = ['Financeiro', 'Dúvidas', 'Conexão', 'Cadastro', 'Suporte', 'Mudança', 'Outros']
    if (!this.clientes.some((c) => c.login === body.login)) return { status: 'erro', mensagem: 'Login não encontrado' }
    if (!categories.includes(body.assunto)) return { status: 'erro', mensagem: 'Assunto inválido' }
    if (!['baixa', 'normal', 'alta', 'urgente'].includes(body.prioridade)) {
      return { status: 'erro', mensagem: 'Prioridade inválida' }
    }
    const template = fixture('mkauth-chamado-inserir-response.json')
    const chamado = String(Number(template.chamado) + this.chamados.length)
    const abertura = `2025-06-10 14:${String(38 + this.chamados.length).padStart(2, '0')}:02`
    this.chamados.push({ ...body, chamado, abertura, status: 'aberto', uuid_suporte: template.uuid_suporte })
    const answer: Row = { ...template, ...body, chamado }
    if (this.omitTicketNumber) delete answer.chamado
    return answer
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` })
  res.end(typeof body === 'string' ? body : phpJson(body))
}

/** JSON the way MK-Auth's PHP writes it: "/" as "\/" and non-ASCII as \u escapes. */
function phpJson(value: unknown) {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
