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
import { SgpClient, type SgpConfig } from './sgp_client.js'

type Ctx = InstanceContext<SgpConfig>

/** SGP answers "no such contract" with HTTP 200 and a message; these are the wordings seen. */
const CONTRACT_NOT_FOUND = /contrato\s+(n[ãa]o\s+(encontrad|localizad|existe)|inexistente)|nenhum\s+contrato/i

/**
 * SGP (TSMX) through its URA API. Every value handed back is copied field by field from the answer,
 * so whatever else SGP sends (PPPoE login and password, subscriber-portal password, Wi-Fi keys) never
 * leaves this class.
 */
export class SgpAdapter implements IspAdapter<SgpConfig> {
  readonly supports: readonly IspOperation[] = [
    'findCustomer',
    'openInvoices',
    'connectionStatus',
    'trustUnlock',
    'openTicket',
  ]

  async findCustomer(query: { cpfCnpj?: string; phone?: string }, ctx: Ctx): Promise<IspContract[]> {
    let fields: Record<string, string>
    if (query.cpfCnpj) fields = { cpfcnpj: normalizeDocument(query.cpfCnpj).digits }
    else if (query.phone) fields = { telefone: nationalPhone(query.phone) }
    else throw new PluginError('bad_request', 'a CPF/CNPJ or a phone is needed to find the customer')

    const answer = await this.client(ctx).form('consultacliente', fields)
    const contracts: any[] = Array.isArray(answer?.contratos) ? answer.contratos : []
    return contracts.map(toContract)
  }

  async openInvoices(contractId: string, ctx: Ctx): Promise<IspInvoice[]> {
    const contrato = contractNumber(contractId)
    const answer = await this.client(ctx).form('fatura2via', { contrato, faturas_abertas_todas: 1 })
    const links: any[] = Array.isArray(answer?.links) ? answer.links : []
    if (links.length === 0) {
      // No open invoice is `status` ≠ 1 with a message; an unknown contract says so in the message.
      if (CONTRACT_NOT_FOUND.test(String(answer?.msg ?? ''))) throw notFound(contractId)
      return []
    }
    const today = todayInBrazil()
    return links
      .map((link) => toInvoice(link, String(answer.contratoId ?? contrato), today))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
  }

  async connectionStatus(contractId: string, ctx: Ctx): Promise<IspConnectionStatus> {
    const contrato = contractNumber(contractId)
    const answer = await this.client(ctx).form('verificaacesso', { contrato })
    // Some versions answer a list, empty when the login has no session.
    if (Array.isArray(answer)) {
      return answer.length === 0 ? { state: 'offline' } : this.accessState(answer[0], contractId)
    }
    return this.accessState(answer, contractId)
  }

  private accessState(answer: any, contractId: string): IspConnectionStatus {
    const message = typeof answer?.msg === 'string' ? answer.msg.trim() : undefined
    switch (Number(answer?.status)) {
      case 1:
        return { state: 'online', reason: message }
      case 2:
        return { state: 'offline', reason: message }
      case 4:
        return { state: 'suspended', reason: message }
      default:
        if (CONTRACT_NOT_FOUND.test(message ?? '')) throw notFound(contractId)
        return { state: 'unknown', reason: message }
    }
  }

  async trustUnlock(contractId: string, ctx: Ctx): Promise<IspTrustUnlock> {
    const contrato = contractNumber(contractId)
    const answer = await this.client(ctx).form('liberacaopromessa', { contrato })
    const message = typeof answer?.msg === 'string' ? answer.msg.trim() : undefined
    if (Number(answer?.status) === 1 && answer?.liberado !== false) {
      return {
        granted: true,
        days: answer.liberado_dias === undefined ? undefined : Number(answer.liberado_dias),
        reason: message,
        protocol: answer.protocolo === undefined || answer.protocolo === null ? undefined : String(answer.protocolo),
      }
    }
    if (CONTRACT_NOT_FOUND.test(message ?? '')) throw notFound(contractId)
    return { granted: false, reason: message ?? 'SGP refused the trust unlock' }
  }

  async openTicket(contractId: string, ticket: { reason: string; description: string }, ctx: Ctx) {
    const contrato = contractNumber(contractId)
    const config = ctx.config
    const ocorrenciatipo =
      ticket.reason === 'no_connection'
        ? (config.ticketTypeNoConnection ?? 1)
        : ticket.reason === 'slow_connection'
          ? (config.ticketTypeSlow ?? 2)
          : (config.ticketTypeOther ?? 5)
    const raw = await this.client(ctx).json('chamado', {
      contrato,
      ocorrenciatipo: Number(ocorrenciatipo),
      conteudo: ticket.description,
    })
    // Some installs answer a one-element list.
    const answer = Array.isArray(raw) ? raw[0] : raw
    const message = typeof answer?.msg === 'string' ? answer.msg.trim() : ''
    if (Number(answer?.status) === 1 && answer?.protocolo) return { protocol: String(answer.protocolo) }
    if (CONTRACT_NOT_FOUND.test(message)) throw notFound(contractId)
    throw new PluginError('refused', `SGP did not open the ticket${message ? `: ${message}` : ''}`)
  }

  /** A lookup of contract 0: cheap, and it proves the address, the app name and the token. */
  async testConnection(ctx: Ctx) {
    try {
      await this.client(ctx).form('consultacliente', { contrato: 0 })
      return { ok: true, detail: 'SGP accepted the app name and token' }
    } catch (error) {
      return { ok: false, detail: error instanceof PluginError ? error.message : 'SGP could not be reached' }
    }
  }

  private client(ctx: Ctx) {
    return new SgpClient(ctx.config, ctx.logger)
  }
}

function contractNumber(contractId: string): number {
  const value = String(contractId).trim()
  if (!/^\d+$/.test(value)) throw new PluginError('bad_request', 'an SGP contract id is a number')
  return Number(value)
}

function notFound(contractId: string) {
  return new PluginError('not_found', `SGP has no contract ${contractId}`)
}

function toContract(c: any): IspContract {
  const label = typeof c.contratoStatusDisplay === 'string' ? c.contratoStatusDisplay.trim() : ''
  const reason = typeof c.motivo_status === 'string' ? c.motivo_status.trim() : ''
  return {
    id: String(c.contratoId),
    customerId: c.clienteId === undefined ? undefined : String(c.clienteId),
    holderName: String(c.razaoSocial ?? '').trim(),
    document: c.cpfCnpj ? String(c.cpfCnpj).replace(/\D/g, '') : undefined,
    address: joinAddress(c),
    plan: c.planointernet || c.servico_plano || undefined,
    status: contractStatus(label, Number(c.contratoStatus)),
    statusLabel: label ? (reason ? `${label} (${reason})` : label) : undefined,
  }
}

/** The label wins (it is what the ISP's staff see); the number covers installs that omit it. */
function contractStatus(label: string, code: number): IspContract['status'] {
  const text = label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  if (text.startsWith('ativo')) return 'active'
  if (text.startsWith('suspens')) return 'suspended'
  if (text.startsWith('bloque')) return 'blocked'
  if (text.startsWith('cancel') || text.startsWith('inativ')) return 'cancelled'
  switch (code) {
    case 1:
    case 7:
      return 'active'
    case 3:
      return 'cancelled'
    case 4:
      return 'suspended'
    default:
      return 'unknown'
  }
}

function joinAddress(c: any): string | undefined {
  const street = [c.endereco_logradouro, c.endereco_numero].filter(present).join(', ')
  const parts = [
    [street, c.endereco_complemento].filter(present).join(' - '),
    c.endereco_bairro,
    [c.endereco_cidade, c.endereco_uf].filter(present).join('/'),
    c.endereco_cep,
  ].filter(present)
  return parts.length ? parts.join(', ') : undefined
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== ''
}

function toInvoice(link: any, contractId: string, today: string): IspInvoice {
  const dueDate = String(link.vencimento ?? '').slice(0, 10)
  // `vencimento` is the date the re-issued boleto is payable by; lateness counts from the original one.
  const originalDue = String(link.vencimento_original ?? link.vencimento ?? '').slice(0, 10)
  return {
    id: String(link.fatura),
    contractId,
    dueDate,
    amount: Number(link.valor),
    status: originalDue && originalDue < today ? 'overdue' : 'open',
    pixCode: link.codigopix || undefined,
    boletoLine: link.linhadigitavel || undefined,
    pdfUrl: link.link || undefined,
  }
}
