import QRCode from 'qrcode'
import vine from '@vinejs/vine'
import { digitsOnly, isValidCpfCnpj } from '#services/cpf_cnpj'
import {
  PluginError,
  type InstanceContext,
  type IspAdapter,
  type IspContract,
  type IspInvoice,
} from '#plugins/sdk'
import type { AiState, HandoverReason } from '#models/conversation'

/**
 * Runs the tools the model asks for. Every argument is validated, every ISP answer is reduced to
 * the fields the model needs (no logins or passwords reach it), and what the customer must receive
 * verbatim — invoice amounts, PIX codes, QR images, boleto lines — is produced here as outgoing
 * messages instead of being left to the model to copy.
 */

export interface IspHandle {
  /** The plugin id, for what a person sees; the model never needs it. */
  pluginId?: string
  adapter: IspAdapter
  ctx: InstanceContext
}

export type OutgoingPart =
  | { kind: 'text'; text: string }
  | { kind: 'image'; data: Buffer; mime: 'image/png'; fileName: string; caption?: string }
  | { kind: 'document'; url: string; fileName: string; mime: 'application/pdf'; caption?: string }

export type ToolAction =
  | { kind: 'hand_over'; reason: HandoverReason; summary: string }
  | { kind: 'resolve'; reason?: string }

export interface ToolOutcome {
  /** What the model sees. */
  result: Record<string, unknown>
  /** Messages sent to the customer as they are. */
  outgoing: OutgoingPart[]
  action?: ToolAction
  /** One line for the agents' timeline. */
  summary: string
  /** The ISP system failed (down, timeout, bad credentials): the conversation goes to a human. */
  ispFailure?: { code: string; message: string }
}

export interface ToolContext {
  isp: IspHandle | null
  /** Mutated as facts are learned; the caller persists it on the conversation. */
  state: AiState
  contactPhone: string | null
}

const MAX_INVOICES_SENT = 3

const findCustomerArgs = vine.create({ cpfCnpj: vine.string().trim().maxLength(20).optional() })
const contractArgs = vine.create({ contractId: vine.string().trim().maxLength(60).optional() })
const selectContractArgs = vine.create({ contractId: vine.string().trim().minLength(1).maxLength(60) })
const ticketArgs = vine.create({
  contractId: vine.string().trim().maxLength(60).optional(),
  reason: vine.enum(['no_connection', 'slow_connection', 'other']),
  description: vine.string().trim().minLength(3).maxLength(1000),
})
const handOverArgs = vine.create({
  reason: vine.enum(['technical', 'financial', 'sales', 'general'] as const),
  summary: vine.string().trim().minLength(3).maxLength(2000),
})
const resolveArgs = vine.create({ reason: vine.string().trim().maxLength(500).optional() })

/** Thrown for arguments the model got wrong; its message goes back to the model to correct itself. */
class ToolArgumentError extends Error {}

export async function executeTool(name: string, rawArguments: string, context: ToolContext): Promise<ToolOutcome> {
  let args: unknown
  try {
    args = rawArguments.trim() ? JSON.parse(rawArguments) : {}
  } catch {
    return invalid(name, 'arguments are not valid JSON')
  }
  try {
    switch (name) {
      case 'find_customer':
        return await findCustomer(await findCustomerArgs.validate(args), context)
      case 'select_contract':
        return selectContract(await selectContractArgs.validate(args), context)
      case 'send_open_invoices':
        return await sendOpenInvoices(await contractArgs.validate(args), context)
      case 'check_connection':
        return await checkConnection(await contractArgs.validate(args), context)
      case 'request_trust_unlock':
        return await trustUnlock(await contractArgs.validate(args), context)
      case 'open_technical_ticket':
        return await openTicket(await ticketArgs.validate(args), context)
      case 'hand_over': {
        const { reason, summary } = await handOverArgs.validate(args)
        return {
          result: { ok: true },
          outgoing: [],
          action: { kind: 'hand_over', reason, summary },
          summary: `Transferido para atendimento humano (${reason})`,
        }
      }
      case 'resolve_conversation': {
        const { reason } = await resolveArgs.validate(args)
        return { result: { ok: true }, outgoing: [], action: { kind: 'resolve', reason }, summary: 'Atendimento encerrado pela IA' }
      }
      default:
        return invalid(name, `unknown tool "${name}"`)
    }
  } catch (error) {
    if (error instanceof ToolArgumentError) return invalid(name, error.message)
    const messages = (error as { messages?: { message: string }[] }).messages
    if (messages) return invalid(name, messages.map((m) => m.message).join('; '))
    if (error instanceof PluginError) return ispError(name, error)
    throw error
  }
}

function invalid(name: string, message: string): ToolOutcome {
  return { result: { ok: false, error: message }, outgoing: [], summary: `${name}: argumentos inválidos (${message})` }
}

function ispError(name: string, error: PluginError): ToolOutcome {
  if (error.code === 'not_found') {
    return { result: { ok: false, error: 'not_found' }, outgoing: [], summary: `${name}: não encontrado` }
  }
  if (error.code === 'unsupported' || error.code === 'bad_request' || error.code === 'refused') {
    return { result: { ok: false, error: error.code, message: error.message }, outgoing: [], summary: `${name}: ${error.message}` }
  }
  return {
    result: { ok: false, error: 'isp_unavailable' },
    outgoing: [],
    summary: `${name}: sistema do provedor indisponível (${error.code})`,
    ispFailure: { code: error.code, message: error.message },
  }
}

function requireIsp(context: ToolContext): IspHandle {
  if (!context.isp) throw new ToolArgumentError('no ISP system is configured')
  return context.isp
}

function contractOf(args: { contractId?: string }, context: ToolContext): string {
  const id = args.contractId || context.state.contractId
  if (!id) throw new ToolArgumentError('no contract chosen yet: call find_customer (and select_contract) first')
  if (context.state.contracts?.length && !context.state.contracts.some((contract) => contract.id === id)) {
    throw new ToolArgumentError(`contract ${id} is not one of this customer's contracts`)
  }
  return id
}

function presentContract(contract: IspContract) {
  return { id: contract.id, holderName: contract.holderName, address: contract.address, plan: contract.plan, status: contract.status, statusLabel: contract.statusLabel }
}

async function findCustomer(args: { cpfCnpj?: string }, context: ToolContext): Promise<ToolOutcome> {
  const isp = requireIsp(context)
  let query: { cpfCnpj?: string; phone?: string }
  if (args.cpfCnpj) {
    const digits = digitsOnly(args.cpfCnpj)
    if (!isValidCpfCnpj(digits)) {
      return { result: { ok: false, error: 'invalid_document', message: 'CPF/CNPJ inválido: peça para o cliente conferir.' }, outgoing: [], summary: 'CPF/CNPJ inválido informado' }
    }
    query = { cpfCnpj: digits }
  } else if (context.contactPhone) {
    query = { phone: context.contactPhone }
  } else {
    throw new ToolArgumentError('ask the customer for the CPF or CNPJ')
  }

  const contracts = await isp.adapter.findCustomer(query, isp.ctx)
  if (contracts.length === 0) {
    return { result: { ok: true, found: false }, outgoing: [], summary: 'Cliente não encontrado no sistema do provedor' }
  }
  context.state.cpfCnpj = query.cpfCnpj ?? context.state.cpfCnpj
  context.state.customerName = contracts[0].holderName
  context.state.contracts = contracts.map((c) => ({ id: c.id, holderName: c.holderName, address: c.address, status: c.status }))
  if (contracts.length === 1) context.state.contractId = contracts[0].id
  else delete context.state.contractId
  return {
    result: { ok: true, found: true, contracts: contracts.map(presentContract), chosenContractId: context.state.contractId ?? null },
    outgoing: [],
    summary: `Cliente encontrado: ${contracts[0].holderName} (${contracts.length} contrato${contracts.length > 1 ? 's' : ''})`,
  }
}

function selectContract(args: { contractId: string }, context: ToolContext): ToolOutcome {
  const id = contractOf(args, context)
  context.state.contractId = id
  return { result: { ok: true, contractId: id }, outgoing: [], summary: `Contrato escolhido: ${id}` }
}

/** "R$ 1.234,50" with a plain space (Intl puts a no-break space there, which copies badly). */
const brl = (value: number) => value.toLocaleString('pt-BR', { style: 'currency', currency: 'BRL' }).replace(/\s/g, ' ')
const brDate = (iso: string) => iso.split('-').reverse().join('/')

async function invoiceMessages(invoice: IspInvoice): Promise<OutgoingPart[]> {
  const parts: OutgoingPart[] = [
    {
      kind: 'text',
      text: `Fatura com vencimento em ${brDate(invoice.dueDate)}${invoice.status === 'overdue' ? ' (vencida)' : ''}: ${brl(invoice.amount)}`,
    },
  ]
  if (invoice.pixCode) {
    parts.push({ kind: 'text', text: 'PIX copia e cola (copie a mensagem abaixo):' })
    parts.push({ kind: 'text', text: invoice.pixCode })
    // Generated here, from the code itself: no third-party QR service sees the payment data.
    const png = await QRCode.toBuffer(invoice.pixCode, { type: 'png', margin: 2, width: 480, errorCorrectionLevel: 'M' })
    parts.push({ kind: 'image', data: png, mime: 'image/png', fileName: `pix-${invoice.id}.png`, caption: 'QR Code PIX' })
  }
  if (invoice.boletoLine) parts.push({ kind: 'text', text: `Linha digitável do boleto:\n${invoice.boletoLine}` })
  if (invoice.pdfUrl) {
    parts.push({ kind: 'document', url: invoice.pdfUrl, fileName: `boleto-${invoice.id}.pdf`, mime: 'application/pdf', caption: 'Boleto em PDF' })
  }
  return parts
}

async function sendOpenInvoices(args: { contractId?: string }, context: ToolContext): Promise<ToolOutcome> {
  const isp = requireIsp(context)
  const contractId = contractOf(args, context)
  const invoices = await isp.adapter.openInvoices(contractId, isp.ctx)
  if (invoices.length === 0) {
    return { result: { ok: true, openInvoices: 0 }, outgoing: [], summary: `Contrato ${contractId}: nenhuma fatura em aberto` }
  }
  const sent = invoices.slice(0, MAX_INVOICES_SENT)
  const outgoing = (await Promise.all(sent.map(invoiceMessages))).flat()
  return {
    result: {
      ok: true,
      openInvoices: invoices.length,
      sentToCustomer: sent.map((invoice) => ({
        dueDate: invoice.dueDate,
        amount: invoice.amount,
        status: invoice.status,
        pix: Boolean(invoice.pixCode),
        boleto: Boolean(invoice.boletoLine),
      })),
      note: 'Os dados já foram enviados ao cliente; não repita códigos.',
    },
    outgoing,
    summary: `Enviadas ${sent.length} fatura(s) do contrato ${contractId}: ${sent.map((i) => `${brDate(i.dueDate)} ${brl(i.amount)}`).join('; ')}`,
  }
}

async function checkConnection(args: { contractId?: string }, context: ToolContext): Promise<ToolOutcome> {
  const isp = requireIsp(context)
  if (!isp.adapter.connectionStatus) throw new ToolArgumentError('this ISP system cannot check connections')
  const contractId = contractOf(args, context)
  const status = await isp.adapter.connectionStatus(contractId, isp.ctx)
  const labels = { online: 'online', offline: 'offline', suspended: 'suspensa', unknown: 'desconhecida' }
  return {
    result: { ok: true, contractId, state: status.state, reason: status.reason ?? null, since: status.since ?? null },
    outgoing: [],
    summary: `Conexão do contrato ${contractId}: ${labels[status.state]}${status.reason ? ` (${status.reason})` : ''}`,
  }
}

async function trustUnlock(args: { contractId?: string }, context: ToolContext): Promise<ToolOutcome> {
  const isp = requireIsp(context)
  if (!isp.adapter.trustUnlock) throw new ToolArgumentError('this ISP system cannot grant trust unlocks')
  const contractId = contractOf(args, context)
  const unlock = await isp.adapter.trustUnlock(contractId, isp.ctx)
  return {
    result: { ok: true, contractId, granted: unlock.granted, days: unlock.days ?? null, reason: unlock.reason ?? null, protocol: unlock.protocol ?? null },
    outgoing: [],
    summary: unlock.granted
      ? `Desbloqueio de confiança concedido ao contrato ${contractId}${unlock.days ? ` por ${unlock.days} dia(s)` : ''}`
      : `Desbloqueio de confiança recusado ao contrato ${contractId}${unlock.reason ? `: ${unlock.reason}` : ''}`,
  }
}

async function openTicket(args: { contractId?: string; reason: string; description: string }, context: ToolContext): Promise<ToolOutcome> {
  const isp = requireIsp(context)
  if (!isp.adapter.openTicket) throw new ToolArgumentError('this ISP system cannot open tickets')
  const contractId = contractOf(args, context)
  const { protocol } = await isp.adapter.openTicket(contractId, { reason: args.reason, description: args.description }, isp.ctx)
  return {
    result: { ok: true, contractId, protocol },
    outgoing: [],
    summary: `Chamado técnico aberto para o contrato ${contractId}: protocolo ${protocol}`,
  }
}
