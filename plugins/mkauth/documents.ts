import { formatCnpj, formatCpf, isValidCnpj, isValidCpf } from '@brazilian-utils/brazilian-utils'
import { PluginError } from '#plugins/sdk'

/** A CPF or CNPJ as digits only, after checking its check digits; anything else is the caller's mistake. */
export function normalizeDocument(value: string): { digits: string; formatted: string } {
  const digits = String(value).replace(/\D/g, '')
  if (digits.length === 11 && isValidCpf(digits)) return { digits, formatted: formatCpf(digits) }
  if (digits.length === 14 && isValidCnpj(digits)) return { digits, formatted: formatCnpj(digits) }
  throw new PluginError('bad_request', 'not a valid CPF or CNPJ')
}

/** A phone as the national number (area code + number): ISP systems store it without the country code. */
export function nationalPhone(value: string): string {
  const digits = String(value).replace(/\D/g, '')
  if (digits.length < 10) throw new PluginError('bad_request', 'not a valid phone number')
  return digits.startsWith('55') && digits.length >= 12 ? digits.slice(2) : digits
}

/** Today in Brazil (YYYY-MM-DD): a due date is compared with the customer's calendar, not UTC's. */
export function todayInBrazil(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(now)
}
