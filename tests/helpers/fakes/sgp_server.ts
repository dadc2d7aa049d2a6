import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture } from '#tests/helpers/fixtures'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  contentType: string
  body: Record<string, any>
}

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '')

/**
 * A fake SGP (TSMX) URA API over real HTTP, fed with the recorded payloads. It checks what SGP checks:
 * POST only, `app` and `token` in the body (form or JSON), a JSON body for `chamado`; and it answers the
 * way SGP does: HTTP 200 with `status`/`msg` for business outcomes, 401 for a wrong token, a 404 HTML
 * page for a route the install does not have.
 *
 * Data starts as the fixtures' customer (contracts 10457 "Ativo" and 11902 " Suspenso"); tests change
 * the public maps to script other situations.
 */
export class FakeSgp {
  readonly requests: RecordedRequest[] = []
  /** consultacliente rows, straight from the fixture (secrets included, as SGP sends them). */
  contracts: any[] = fixture('sgp-consultacliente-response.json').contratos
  /** fatura2via `links` per contract. */
  invoices = new Map<number, any[]>()
  /** verificaacesso answers per contract. */
  access = new Map<number, Record<string, any>>()
  /** Tickets opened through `chamado`. */
  tickets: Record<string, any>[] = []
  /** Routes this install "does not have": answered with SGP's 404 HTML page. */
  missingRoutes = new Set<string>()
  /** Delay before every answer, to provoke client timeouts. */
  delayMs = 0
  /** When set, every call is answered with this HTTP status (a broken upstream). */
  failStatus?: number

  private server!: Server
  private pending = new Set<NodeJS.Timeout>()
  baseUrl = ''

  constructor(
    readonly app = 'niochat',
    readonly token = 'sgp-token-3f9a1c2e7b5d'
  ) {
    const offline = fixture('sgp-verificaacesso-response.json')
    this.access.set(10457, offline)
    this.access.set(11902, {
      ...offline,
      status: 4,
      msg: 'Serviço Suspenso por Inadimplência',
      contratoId: 11902,
      login: 'maria.souza.loja',
    })
    this.invoices.set(10457, fixture('sgp-fatura2via-response.json').links)
    const template = fixture('sgp-fatura2via-response.json').links[0]
    this.invoices.set(11902, [
      {
        ...template,
        fatura: 884513,
        valor: 89.9,
        valor_original: 89.9,
        multa: 0,
        vencimento: '2025-06-10',
        vencimento_original: '2025-06-10',
        linhadigitavel: '23793.38128 60088.451301 90000.063305 7 11330000008990',
        codigopix: '00020101021226900014br.gov.bcb.pix2568qrpix.bradesco.com.br/qr/v2/cobv/11902a1e5204000053039865405089.905802BR6304ABCD',
        link: 'https://fibrarapida.sgp.net.br/boleto/884513/9b8a7c6d/',
      },
      {
        ...template,
        fatura: 879301,
        valor: 91.7,
        valor_original: 89.9,
        vencimento: '2025-06-10',
        vencimento_original: '2025-05-10',
        linhadigitavel: '23793.38128 60087.930107 90000.063305 4 10950000008990',
        codigopix: '',
        link: 'https://fibrarapida.sgp.net.br/boleto/879301/1c0d9e8f/',
      },
    ])
  }

  static async start(options: { app?: string; token?: string } = {}) {
    const fake = new FakeSgp(options.app, options.token)
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
            send(res, 500, `<h1>Server Error (500)</h1><!-- ${(error as Error).message} -->`, 'text/html')
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

  /** Requests made to one URA route, e.g. `calls('fatura2via')`. */
  calls(route: string) {
    return this.requests.filter((r) => r.path === `/api/ura/${route}/`)
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse) {
    const path = url.split('?')[0]
    const contentType = String(headers['content-type'] ?? '').split(';')[0].trim()
    let body: Record<string, any> = {}
    if (contentType === 'application/json') {
      try {
        body = JSON.parse(raw || '{}')
      } catch {
        return send(res, 400, { detail: 'JSON parse error' })
      }
    } else if (contentType === 'application/x-www-form-urlencoded') {
      body = Object.fromEntries(new URLSearchParams(raw))
    }
    this.requests.push({ method, path, headers, contentType, body })

    const match = /^\/api\/ura\/([a-z0-9]+)\/$/.exec(path)
    if (!match || this.missingRoutes.has(match[1])) return notFoundPage(res)
    if (this.failStatus) return send(res, this.failStatus, '<h1>Bad Gateway</h1>', 'text/html')
    if (method !== 'POST') return send(res, 405, { detail: `Método "${method}" não permitido.` })
    if (body.app !== this.app || body.token !== this.token) {
      return send(res, 401, { detail: 'As credenciais de autenticação não foram fornecidas ou são inválidas.' })
    }

    switch (match[1]) {
      case 'consultacliente':
        return send(res, 200, this.consultaCliente(body))
      case 'fatura2via':
        return send(res, 200, this.fatura2via(body))
      case 'verificaacesso':
        return send(res, 200, this.verificaAcesso(body))
      case 'liberacaopromessa':
        return send(res, 200, this.liberacaoPromessa(body))
      case 'chamado':
        if (contentType !== 'application/json') {
          return send(res, 400, { detail: 'chamado espera um corpo JSON' })
        }
        return send(res, 200, this.chamado(body))
      default:
        return notFoundPage(res)
    }
  }

  private contract(id: unknown) {
    return this.contracts.find((c) => String(c.contratoId) === String(id ?? '').trim())
  }

  private consultaCliente(body: Record<string, any>) {
    let found: any[]
    if (body.cpfcnpj) found = this.contracts.filter((c) => digits(c.cpfCnpj) === digits(body.cpfcnpj))
    else if (body.contrato !== undefined) found = this.contracts.filter((c) => String(c.contratoId) === String(body.contrato))
    else if (body.telefone) {
      found = this.contracts.filter((c) =>
        (c.telefones ?? []).some((t: any) => digits(typeof t === 'string' ? t : t.contato) === digits(body.telefone))
      )
    } else found = []
    return found.length
      ? { msg: 'Contrato(s) Localizado(s)', contratos: found }
      : { msg: 'Nenhum contrato localizado', contratos: [] }
  }

  private fatura2via(body: Record<string, any>) {
    const contract = this.contract(body.contrato)
    if (!contract) return { status: 0, msg: 'Contrato não encontrado' }
    const links = this.invoices.get(contract.contratoId) ?? []
    if (links.length === 0) return { status: 2, msg: 'Não há faturas em aberto para este contrato', links: [] }
    // Without faturas_abertas_todas SGP gives only the oldest open invoice.
    const chosen = body.faturas_abertas_todas === '1' ? links : links.slice(0, 1)
    return {
      ...fixture('sgp-fatura2via-response.json'),
      contratoId: contract.contratoId,
      links: chosen,
    }
  }

  private verificaAcesso(body: Record<string, any>) {
    const contract = this.contract(body.contrato)
    if (!contract) return { status: 0, msg: 'Contrato não encontrado' }
    return this.access.get(contract.contratoId) ?? { status: 1, msg: 'Serviço Online', contratoId: contract.contratoId }
  }

  /** SGP's rule: a suspended contract gets one promise per month. */
  private liberacaoPromessa(body: Record<string, any>) {
    const contract = this.contract(body.contrato)
    if (!contract) return { status: 0, msg: 'Contrato não encontrado' }
    if (Number(contract.contratoStatus) !== 4) {
      return { status: 2, liberado: false, msg: 'Contrato não está suspenso' }
    }
    if (Number(contract.promessasPagamentoMes) > 0) {
      return { status: 2, liberado: false, msg: 'Liberação por promessa de pagamento já utilizada neste mês' }
    }
    contract.promessasPagamentoMes = 1
    contract.contratoStatus = 1
    contract.contratoStatusDisplay = 'Ativo'
    return {
      ...fixture('sgp-liberacao-response.json'),
      contratoId: contract.contratoId,
    }
  }

  private chamado(body: Record<string, any>) {
    if (typeof body.contrato !== 'number' || typeof body.ocorrenciatipo !== 'number') {
      return { status: 0, msg: 'Os campos contrato e ocorrenciatipo devem ser inteiros' }
    }
    const contract = this.contract(body.contrato)
    if (!contract) return { status: 0, msg: 'Contrato não encontrado' }
    if (!String(body.conteudo ?? '').trim()) return { status: 0, msg: 'Informe o conteúdo do chamado' }
    const protocolo = String(BigInt(fixture('sgp-chamado-response.json').protocolo) + BigInt(this.tickets.length))
    this.tickets.push({ ...body, protocolo })
    return { ...fixture('sgp-chamado-response.json'), protocolo, contratoId: contract.contratoId }
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` })
  res.end(text)
}

function notFoundPage(res: ServerResponse) {
  send(res, 404, '<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Not Found</h1></body></html>', 'text/html')
}
