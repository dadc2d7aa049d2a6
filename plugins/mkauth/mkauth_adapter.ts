import {
  PluginError,
  type InstanceContext,
  type IspAdapter,
  type IspContract,
  type IspInvoice,
  type IspOperation,
  type IspTrustUnlock,
} from '#plugins/sdk'
import { normalizeDocument, todayInBrazil } from './documents.js'
import { MkauthClient, type MkauthConfig } from './mkauth_client.js'

type Ctx = InstanceContext<MkauthConfig>
type Record_ = Record<string, any>

export const DEFAULT_TRUST_UNLOCK_DAYS = 3

/**
 * MK-Auth through its REST API. One MK-Auth customer record is one access login, so each record is
 * one contract here, identified by its `uuid` (the login itself is a secret and never leaves this
 * class; the adapter looks it up again from the uuid when a route needs it).
 *
 * What MK-Auth cannot do through its API: live connection status (no session data) and search by
 * phone. Trust unlock has no route of its own and is emulated by editing the customer record.
 */
export class MkauthAdapter implements IspAdapter<MkauthConfig> {
  readonly supports: readonly IspOperation[] = ['findCustomer', 'openInvoices', 'trustUnlock', 'openTicket']

  async findCustomer(query: { cpfCnpj?: string; phone?: string }, ctx: Ctx): Promise<IspContract[]> {
    if (!query.cpfCnpj) {
      throw new PluginError('unsupported', 'MK-Auth can only find customers by CPF/CNPJ')
    }
    const doc = normalizeDocument(query.cpfCnpj)
    const client = this.client(ctx)
    let records = listOf(await client.get('cliente/listar', `cliente/listar/cpf_cnpj=${doc.digits}`), 'clientes')
    if (records.length === 0) {
      // Some installs store the document with its mask.
      const masked = encodeURIComponent(doc.formatted)
      records = listOf(await client.get('cliente/listar', `cliente/listar/cpf_cnpj=${masked}`), 'clientes')
    }
    const contracts: IspContract[] = []
    for (const record of records) {
      // Older versions leave the block state out of the listing; the record itself has it.
      const full = record.bloqueado === undefined && record.uuid ? ((await this.show(client, record.uuid)) ?? record) : record
      contracts.push(toContract(full))
    }
    return contracts
  }

  async openInvoices(contractId: string, ctx: Ctx): Promise<IspInvoice[]> {
    const client = this.client(ctx)
    const record = await this.record(client, contractId)
    const login = encodeURIComponent(String(record.login))
    // MK-Auth splits what the customer owes: titles not yet due, and overdue ones.
    const [open, overdue] = await Promise.all([
      client.get('titulo/aberto', `titulo/aberto/${login}`),
      client.get('titulo/vencido', `titulo/vencido/${login}`),
    ])
    const today = todayInBrazil()
    const seen = new Set<string>()
    const invoices: IspInvoice[] = []
    for (const [titles, late] of [
      [listOf(overdue, 'titulos'), true],
      [listOf(open, 'titulos'), false],
    ] as const) {
      for (const title of titles) {
        // `aberto/{cpf}` returns every login's titles; keep this contract's.
        if (title.login && title.login !== record.login) continue
        if (title.status && !['aberto', 'vencido'].includes(String(title.status).toLowerCase())) continue
        const key = String(title.uuid ?? title.titulo)
        if (seen.has(key)) continue
        seen.add(key)
        invoices.push(toInvoice(title, contractId, late, today))
      }
    }
    return invoices.sort((a, b) => a.dueDate.localeCompare(b.dueDate))
  }

  /**
   * No unlock route exists: the record is edited as the MK-Auth panel's own "liberação em confiança"
   * does (unblocked, `observacao = sim` until `rem_obs`). How often a customer may ask is the host's
   * rule to enforce; here only a promise still in force is refused.
   */
  async trustUnlock(contractId: string, ctx: Ctx): Promise<IspTrustUnlock> {
    const client = this.client(ctx)
    const record = await this.record(client, contractId)
    if (String(record.bloqueado).toLowerCase() !== 'sim') {
      return { granted: false, reason: 'O acesso deste contrato não está bloqueado' }
    }
    const until = typeof record.rem_obs === 'string' ? record.rem_obs.slice(0, 10) : ''
    if (String(record.observacao).toLowerCase() === 'sim' && until >= todayInBrazil()) {
      return { granted: false, reason: `Já existe um desbloqueio de confiança em vigor até ${brDate(until)}` }
    }

    const days = Number(ctx.config.trustUnlockDays ?? DEFAULT_TRUST_UNLOCK_DAYS)
    const expiry = addDays(todayInBrazil(), days)
    const answer = await client.put('cliente/editar', 'cliente/editar', {
      uuid: record.uuid ?? contractId,
      bloqueado: 'nao',
      observacao: 'sim',
      rem_obs: `${expiry} 23:59:59`,
    })
    const message = String(answer?.mensagem ?? answer?.error ?? '').trim() || undefined
    if (String(answer?.status ?? '').toLowerCase() === 'sucesso' && !answer?.error) {
      return { granted: true, days, reason: message ?? `Liberado até ${brDate(expiry)}` }
    }
    return { granted: false, reason: message ?? 'MK-Auth refused the change' }
  }

  async openTicket(contractId: string, ticket: { reason: string; description: string }, ctx: Ctx) {
    const client = this.client(ctx)
    const record = await this.record(client, contractId)
    const answer = await client.post('chamado/inserir', 'chamado/inserir', {
      login: record.login,
      // `assunto` is one of MK-Auth's fixed categories.
      assunto: ['no_connection', 'slow_connection'].includes(ticket.reason) ? 'Conexão' : 'Outros',
      prioridade: 'normal',
      msg: ticket.description,
    })
    if (String(answer?.status ?? '').toLowerCase() !== 'sucesso') {
      const message = String(answer?.mensagem ?? answer?.error ?? 'no reason given').slice(0, 200)
      throw new PluginError('refused', `MK-Auth did not open the ticket: ${message}`)
    }
    if (answer.chamado) return { protocol: String(answer.chamado) }

    // Some versions do not echo the ticket number: the newest ticket of the login is the one just made.
    const listed = listOf(
      await client.get('chamado/listar', `chamado/listar/login=${encodeURIComponent(String(record.login))}`),
      'chamados'
    )
    const newest = listed
      .filter((t) => t.chamado)
      .sort((a, b) => String(b.abertura ?? b.id ?? '').localeCompare(String(a.abertura ?? a.id ?? ''), undefined, { numeric: true }))[0]
    const protocol = newest?.chamado ?? answer.uuid_suporte
    if (!protocol) throw new PluginError('unavailable', 'MK-Auth opened the ticket but gave no number for it')
    return { protocol: String(protocol) }
  }

  /** A fresh token proves the address and the client id/secret. */
  async testConnection(ctx: Ctx) {
    try {
      await this.client(ctx).freshToken()
      return { ok: true, detail: 'MK-Auth accepted the client id and secret' }
    } catch (error) {
      return { ok: false, detail: error instanceof PluginError ? error.message : 'MK-Auth could not be reached' }
    }
  }

  private async show(client: MkauthClient, uuid: string): Promise<Record_ | undefined> {
    const answer = await client.get('cliente/show', `cliente/show/${encodeURIComponent(uuid)}`)
    // A record, bare or wrapped; "not found" is `{mensagem: "Registro não encontrado"}`.
    const record = answer?.cliente ?? answer?.dados ?? answer
    if (record && typeof record === 'object' && !Array.isArray(record) && record.login) return record
    return undefined
  }

  private async record(client: MkauthClient, contractId: string): Promise<Record_> {
    const id = String(contractId).trim()
    if (!/^[\w-]+$/.test(id)) throw new PluginError('bad_request', 'an MK-Auth contract id is the record uuid')
    const record = await this.show(client, id)
    if (!record) throw new PluginError('not_found', `MK-Auth has no customer record ${contractId}`)
    return record
  }

  private client(ctx: Ctx) {
    return new MkauthClient(ctx.config, ctx.logger, ctx.providerId)
  }
}

/** The envelopes vary: `{clientes: [...]}`, `{titulos: [...]}`, `{dados: [...]}`, a bare list or one object. */
function listOf(answer: any, key: string): Record_[] {
  if (Array.isArray(answer)) return answer
  if (!answer || typeof answer !== 'object') return []
  for (const candidate of [answer[key], answer.dados]) {
    if (Array.isArray(candidate)) return candidate
  }
  if (answer.uuid) return [answer]
  return []
}

function toContract(record: Record_): IspContract {
  const blocked = String(record.bloqueado ?? '').toLowerCase()
  const activated = String(record.cli_ativado ?? '').toLowerCase()
  let status: IspContract['status'] = 'unknown'
  let statusLabel: string | undefined
  if (activated === 'n') [status, statusLabel] = ['cancelled', 'Desativado']
  else if (blocked === 'sim') [status, statusLabel] = ['blocked', 'Bloqueado']
  else if (blocked === 'nao') [status, statusLabel] = ['active', 'Ativo']
  const street = [record.endereco, record.numero].filter(present).join(', ')
  const address = [
    [street, record.complemento].filter(present).join(' - '),
    record.bairro,
    [record.cidade, record.estado].filter(present).join('/'),
    record.cep,
  ].filter(present)
  return {
    id: String(record.uuid),
    customerId: record.id === undefined ? undefined : String(record.id),
    holderName: String(record.nome ?? '').trim(),
    document: record.cpf_cnpj ? String(record.cpf_cnpj).replace(/\D/g, '') : undefined,
    address: address.length ? address.join(', ') : undefined,
    plan: present(record.plano) ? String(record.plano) : undefined,
    status,
    statusLabel,
  }
}

function toInvoice(title: Record_, contractId: string, late: boolean, today: string): IspInvoice {
  const dueDate = String(title.datavenc ?? '').slice(0, 10)
  return {
    id: String(title.titulo ?? title.uuid),
    contractId,
    dueDate,
    amount: Number(title.valor),
    status: late || dueDate < today ? 'overdue' : 'open',
    // Versions without a PIX gateway have no `pix`; MK-Auth's API has no boleto PDF link.
    pixCode: present(title.pix) ? String(title.pix) : undefined,
    boletoLine: present(title.linhadig) ? String(title.linhadig) : undefined,
  }
}

function present(value: unknown) {
  return value !== undefined && value !== null && String(value).trim() !== ''
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

function brDate(isoDate: string) {
  const [y, m, d] = isoDate.split('-')
  return `${d}/${m}/${y}`
}
