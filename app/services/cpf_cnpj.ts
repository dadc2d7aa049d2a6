import { isValidCnpj, isValidCpf } from '@brazilian-utils/brazilian-utils'

/** A CPF or CNPJ as its digits only, however it was typed ("123.456.789-09" → "12345678909"). */
export const digitsOnly = (value: string) => value.replace(/\D/g, '')

/** Whether the digits form a valid CPF (11) or CNPJ (14), check digits included. */
export const isValidCpfCnpj = (digits: string) =>
  digits.length === 11 ? isValidCpf(digits) : digits.length === 14 ? isValidCnpj(digits) : false
