import {
  PluginError,
  type InstanceContext,
  type IspAdapter,
  type IspConnectionStatus,
  type IspContract,
  type IspInvoice,
  type IspOperation,
  type IspTrustUnlock,
} from '#plugins/sdk'
import { nationalPhone, normalizeDocument, todayInBrazil } from './documents.js'
import { IxcClient, type IxcConfig } from './ixc_client.js'

type Ctx = InstanceContext<IxcConfig>
type Row = Record<string, string>

/** `cliente_contrato.status_internet`: the administrative state of the access. */
const INTERNET_STATUS: Record<string, { status: IspContract['status']; label: string }> = {
  A: { status: 'active', label: 'Ativo' },
  AA: { status: 'active', label: 'Aguardando assinatura' },
  CM: { status: 'blocked', label: 'Bloqueio manual' },
  CA: { status: 'blocked', label: 'Bloqueio automático' },
  FA: { status: 'suspended', label: 'Financeiro em atraso' },
  D: { status: 'cancelled', label: 'Desativado' },
}

/** `cliente_contrato.status`: the contract itself; only `A` defers to the access state. */
const CONTRACT_STATUS: Record<string, { status: IspContract['status']; label: string }> = {
  I: { status: 'cancelled', label: 'Inativo' },
  D: { status: 'cancelled', label: 'Desistiu' },
  N: { status: 'suspended', label: 'Negativado' },
  P: { status: 'unknown', label: 'Pré-contrato' },
}

const TICKET_TITLES: Record<string, string> = {
  no_connection: 'Cliente sem conexão',
  slow_connection: 'Conexão lenta ou instável',
}

/**
 * IXC Provedor through its webservice. Results are built field by field from the rows, so the
 * secrets IXC lists alongside (`senha` of the customer portal, PPPoE and Wi-Fi passwords, logins)
 * never leave this class.
 */
export class IxcAdapter implements IspAdapter<IxcConfig> {
  readonly supports: readonly IspOperation[] = [
    'findCustomer',
    'openInvoices',
    'connectionStatus',
    'trustUnlock',
    'openTicket',
  ]

  async findCustomer(query: { cpfCnpj?: string; phone?: string }, ctx: Ctx): Promise<IspContract[]> {
    const client = this.client(ctx)
    let customers: Row[]
    if (query.cpfCnpj) {
      // IXC stores the document as typed at registration: usually masked, sometimes bare digits.
      const doc = normalizeDocument(query.cpfCnpj)
      customers = await client.list('cliente', { qtype: 'cliente.cnpj_cpf', query: doc.formatted })
      if (customers.length === 0) {
        customers = await client.list('cliente', { qtype: 'cliente.cnpj_cpf', query: doc.digits })
      }
    } else if (query.phone) {
      // Phones are free text in IXC: best effort on the two columns chatbots fill.
      const phone = nationalPhone(query.phone)
      customers = await client.list('cliente', { qtype: 'cliente.whatsapp', query: phone })
      if (customers.length === 0) {
        customers = await client.list('cliente', { qtype: 'cliente.telefone_celular', query: maskedPhone(phone) })
      }
    } else {
      throw new PluginError('bad_request', 'a CPF/CNPJ or a phone is needed to find the customer')
    }

    const contracts: IspContract[] = []
    for (const customer of customers) {
      const rows = await client.list('cliente_contrato', { qtype: 'cliente_contrato.id_cliente', query: customer.id })
      contracts.push(...rows.map((row) => toContract(row, customer)))
    }
    return contracts
  }

  async openInvoices(contractId: string, ctx: Ctx): Promise<IspInvoice[]> {
    const id = numericId(contractId)
    const client = this.client(ctx)
    const rows = await client.list('fn_areceber', {
      qtype: 'fn_areceber.id_contrato',
      query: id,
      sortname: 'fn_areceber.data_vencimento',
      sortorder: 'asc',
      // Released for collection, neither cancelled nor received: what the customer still owes.
      where: [
        { TB: 'fn_areceber.liberado', OP: '=', P: 'S' },
        { TB: 'fn_areceber.status', OP: '!=', P: 'C' },
        { TB: 'fn_areceber.status', OP: '!=', P: 'R' },
      ],
    })
    if (rows.length === 0) {
      await this.contract(client, id)
      return []
    }
    const today = todayInBrazil()
    // The listing has no PIX copy-and-paste code: IXC builds it per invoice, on PIX-enabled carteiras only.
    const pixCodes = await Promise.all(rows.map((row) => this.pixCode(client, row.id, ctx)))
    return rows
      .map((row, index) => toInvoice(row, id, today, pixCodes[index]))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
  }

  private async pixCode(client: IxcClient, invoiceId: string, ctx: Ctx): Promise<string | undefined> {
    try {
      const answer = await client.post('get_pix', { id_areceber: invoiceId })
      if (answer?.type !== 'success') return undefined
      const code = answer.pix?.dadosPix?.pixCopiaECola ?? answer.pix?.qrCode?.qrcode
      return typeof code === 'string' && code.trim() ? code.trim() : undefined
    } catch (error) {
      // An invoice without its PIX code is still worth sending (boleto line, amount, due date).
      ctx.logger.warn({ invoiceId, code: (error as PluginError).code }, 'ixc get_pix failed')
      return undefined
    }
  }

  async connectionStatus(contractId: string, ctx: Ctx): Promise<IspConnectionStatus> {
    const client = this.client(ctx)
    const contract = await this.contract(client, numericId(contractId))
    const mapped = contractState(contract)
    if (mapped.status === 'cancelled') return { state: 'offline', reason: `Contrato ${mapped.label.toLowerCase()}` }
    if (mapped.status === 'blocked' || mapped.status === 'suspended') {
      return { state: 'suspended', reason: mapped.label, since: dateOrUndefined(contract.dt_ult_bloq_auto) }
    }

    // RADIUS accounting: one row per PPPoE/IPoE login of the contract. It can lag behind reality.
    const logins = await client.list('radusuarios', { qtype: 'radusuarios.id_contrato', query: contract.id })
    if (logins.length === 0) return { state: 'unknown', reason: 'Nenhum login de acesso cadastrado no contrato' }
    const online = logins.find((login) => login.online === 'S' || login.online === 'SS')
    if (online) return { state: 'online', since: dateOrUndefined(online.ultima_conexao_inicial) }
    const last = [...logins].sort((a, b) => (b.ultima_conexao_final ?? '').localeCompare(a.ultima_conexao_final ?? ''))[0]
    return {
      state: 'offline',
      reason: last.motivo_desconexao?.trim() || undefined,
      since: dateOrUndefined(last.ultima_conexao_final),
    }
  }

  async trustUnlock(contractId: string, ctx: Ctx): Promise<IspTrustUnlock> {
    const id = numericId(contractId)
    let answer = await this.client(ctx).post('desbloqueio_confianca', { id })
    // One IXC update briefly answered a list; some integrations read `{type, message}`.
    if (Array.isArray(answer)) answer = answer[0]
    const kind = String(answer?.tipo ?? answer?.type ?? '').toLowerCase()
    const message = String(answer?.mensagem ?? answer?.message ?? '').trim() || undefined
    const code = String(answer?.codigo ?? '')

    if (kind === 'sucesso' || kind === 'success') return { granted: true, reason: message }
    // 107: already unlocked, which is what the customer asked for.
    if (code === '107') return { granted: true, reason: message }
    if (code === '106' || /contrato inexistente/i.test(message ?? '')) {
      throw new PluginError('not_found', `IXC has no contract ${contractId}`)
    }
    return { granted: false, reason: message ?? 'IXC refused the trust unlock' }
  }

  async openTicket(contractId: string, ticket: { reason: string; description: string }, ctx: Ctx) {
    const subject = ctx.config.ticketSubjectId
    if (subject === undefined || subject === null || String(subject).trim() === '') {
      // The subject (`id_assunto`) is a row of each install's own catalogue: no default is safe.
      throw new PluginError('unsupported', 'set the IXC ticket subject id in the plugin settings to open tickets')
    }
    const client = this.client(ctx)
    const contract = await this.contract(client, numericId(contractId))
    const answer = await client.post('su_ticket', {
      tipo: 'C',
      id_cliente: contract.id_cliente,
      id_contrato: contract.id,
      id_filial: contract.id_filial ?? '',
      id_assunto: String(subject),
      id_ticket_setor: ctx.config.ticketSectorId === undefined ? '' : String(ctx.config.ticketSectorId),
      titulo: TICKET_TITLES[ticket.reason] ?? 'Atendimento pelo assistente virtual',
      // IXC's column is spelled this way.
      menssagem: ticket.description,
      prioridade: 'M',
      su_status: 'N',
      id_ticket_origem: 'I',
      origem_endereco: 'C',
    })
    if (answer?.type !== 'success' || !answer?.id) {
      throw new PluginError('refused', `IXC did not open the ticket: ${String(answer?.message ?? 'no reason given').slice(0, 200)}`)
    }
    // The insert answers only the row id; the protocol customers quote is on the row.
    const [row] = await client.list('su_ticket', { qtype: 'su_ticket.id', query: String(answer.id) })
    return { protocol: row?.protocolo?.trim() || String(answer.id) }
  }

  /** A listing that matches nothing: it proves the address and that the token may read customers. */
  async testConnection(ctx: Ctx) {
    try {
      await this.client(ctx).list('cliente', { qtype: 'cliente.id', query: '0' })
      return { ok: true, detail: 'IXC accepted the API token' }
    } catch (error) {
      return { ok: false, detail: error instanceof PluginError ? error.message : 'IXC could not be reached' }
    }
  }

  private async contract(client: IxcClient, id: string): Promise<Row> {
    const [row] = await client.list('cliente_contrato', { qtype: 'cliente_contrato.id', query: id })
    if (!row) throw new PluginError('not_found', `IXC has no contract ${id}`)
    return row
  }

  private client(ctx: Ctx) {
    return new IxcClient(ctx.config, ctx.logger)
  }
}

function numericId(value: string): string {
  const id = String(value).trim()
  if (!/^\d+$/.test(id)) throw new PluginError('bad_request', 'an IXC contract id is a number')
  return id
}

function maskedPhone(national: string): string {
  const area = national.slice(0, 2)
  const number = national.slice(2)
  return `(${area}) ${number.slice(0, number.length - 4)}-${number.slice(-4)}`
}

function contractState(row: Row) {
  return (
    CONTRACT_STATUS[row.status] ??
    INTERNET_STATUS[row.status_internet] ?? { status: 'unknown' as const, label: row.status_internet || row.status || '' }
  )
}

function toContract(row: Row, customer: Row): IspContract {
  const state = contractState(row)
  // With `endereco_padrao_cliente = S` the contract's own address fields are empty: the customer's apply.
  const place = row.endereco_padrao_cliente === 'N' && row.endereco ? row : customer
  return {
    id: String(row.id),
    customerId: String(customer.id),
    holderName: (customer.razao ?? '').trim(),
    document: customer.cnpj_cpf ? customer.cnpj_cpf.replace(/\D/g, '') : undefined,
    address: joinAddress(place),
    plan: row.contrato?.trim() || undefined,
    status: state.status,
    statusLabel: state.label || undefined,
  }
}

/** `cidade` is an internal id in IXC, not a name, so it is left out. */
function joinAddress(row: Row): string | undefined {
  const street = [row.endereco, row.numero].filter(present).join(', ')
  const parts = [[street, row.complemento].filter(present).join(' - '), row.bairro, row.cep].filter(present)
  return parts.length ? parts.join(', ') : undefined
}

function present(value: unknown) {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null
}

/** IXC writes unset dates as "" or "0000-00-00". */
function dateOrUndefined(value: string | undefined) {
  return value && !value.startsWith('0000') ? value : undefined
}

function toInvoice(row: Row, contractId: string, today: string, pixCode: string | undefined): IspInvoice {
  const open = Number(row.valor_aberto)
  const dueDate = String(row.data_vencimento).slice(0, 10)
  return {
    id: String(row.id),
    contractId: row.id_contrato || contractId,
    dueDate,
    // The face value: IXC adds fine and interest only when the boleto is printed.
    amount: open > 0 ? open : Number(row.valor),
    status: dueDate < today ? 'overdue' : 'open',
    pixCode,
    boletoLine: row.linha_digitavel?.trim() || undefined,
    pdfUrl: row.gateway_link?.trim() || undefined,
  }
}
