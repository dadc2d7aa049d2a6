import db from '@adonisjs/lucid/services/db'
import { PluginError, type IspConnectionStatus, type IspContract, type IspInvoice } from '#plugins/sdk'
import ApiError from '#exceptions/api_error'
import aiSettings from '#services/ai_settings_service'
import contacts from '#services/contact_service'
import { digitsOnly, isValidCpfCnpj } from '#services/cpf_cnpj'

/**
 * The ISP customer data of a contact, on demand, for the agent's contact panel: the same adapter
 * calls the AI's tools make, shown to a person instead of a model. Nothing is stored.
 */

/** A panel shows a handful; a company CNPJ with hundreds of contracts is searched in the ISP system. */
const MAX_CONTRACTS = 5

export interface ContactIspContract extends Omit<IspContract, 'customerId'> {
  connection: IspConnectionStatus | null
  openInvoices: IspInvoice[] | null
  /** Operations that failed or are not offered by the ISP system, with why. */
  problems: { operation: 'connection' | 'invoices'; code: string; message: string }[]
}

export type ContactIspLookup =
  | { configured: false }
  | {
      configured: true
      plugin: string
      supports: readonly string[]
      lookedUpBy: 'cpfCnpj' | 'phone'
      found: boolean
      contracts: ContactIspContract[]
      totalContracts: number
    }


class ContactIspService {
  async lookup(providerId: number, contactId: unknown, requestedDocument?: string): Promise<ContactIspLookup> {
    const contact = await contacts.find(providerId, contactId)
    const isp = await aiSettings.ispFor(providerId)
    if (!isp) return { configured: false }

    const document =
      requestedDocument !== undefined ? digitsOnly(requestedDocument) : await this.#knownDocument(providerId, contact.id, contact.document)
    if (requestedDocument !== undefined && !isValidCpfCnpj(document ?? '')) {
      throw new ApiError(422, 'The CPF/CNPJ is not valid', 'cpfCnpj', 'document')
    }
    const query = document ? { cpfCnpj: document } : contact.phone ? { phone: contact.phone } : null
    if (!query) throw new ApiError(422, 'The contact has no CPF/CNPJ or phone number to look up; give one in cpfCnpj', 'cpfCnpj')

    let found: IspContract[]
    try {
      found = await isp.adapter.findCustomer(query, isp.ctx)
    } catch (error) {
      if (error instanceof PluginError && error.code === 'not_found') found = []
      else throw this.#unavailable(error)
    }

    const contracts = await Promise.all(
      found.slice(0, MAX_CONTRACTS).map(async ({ customerId: _internal, ...contract }) => {
        const problems: ContactIspContract['problems'] = []
        const attempt = async <T>(operation: 'connection' | 'invoices', call: (() => Promise<T>) | null): Promise<T | null> => {
          if (!call) {
            problems.push({ operation, code: 'unsupported', message: 'The ISP system does not offer this' })
            return null
          }
          try {
            return await call()
          } catch (error) {
            if (!(error instanceof PluginError)) throw error
            problems.push({ operation, code: error.code, message: error.message })
            return null
          }
        }
        const adapter = isp.adapter
        const [connection, openInvoices] = await Promise.all([
          attempt('connection', adapter.connectionStatus ? () => adapter.connectionStatus!(contract.id, isp.ctx) : null),
          attempt('invoices', () => adapter.openInvoices(contract.id, isp.ctx)),
        ])
        return { ...contract, connection, openInvoices, problems }
      })
    )

    return {
      configured: true,
      plugin: isp.pluginId ?? 'unknown',
      supports: isp.adapter.supports,
      lookedUpBy: query.cpfCnpj ? 'cpfCnpj' : 'phone',
      found: found.length > 0,
      contracts,
      totalContracts: found.length,
    }
  }

  /** The contact's own document, else the CPF the AI learned in its latest conversation. */
  async #knownDocument(providerId: number, contactId: number, ownDocument: string | null): Promise<string | null> {
    if (ownDocument && isValidCpfCnpj(digitsOnly(ownDocument))) return digitsOnly(ownDocument)
    const row = await db
      .from('conversations')
      .where({ provider_id: providerId, contact_id: contactId })
      .whereRaw(`ai_state->>'cpfCnpj' is not null`)
      .orderBy('id', 'desc')
      .select(db.raw(`ai_state->>'cpfCnpj' as document`))
      .first()
    return row?.document ?? null
  }

  #unavailable(error: unknown): ApiError {
    if (!(error instanceof PluginError)) throw error
    return new ApiError(502, `The ISP system did not answer (${error.code}): ${error.message}`, undefined, `isp_${error.code}`)
  }
}

const contactIsp = new ContactIspService()
export default contactIsp
