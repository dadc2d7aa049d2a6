import { findBoletoLines, findPixCodes } from '#services/ai/payment_codes'

/**
 * The anti-invention guard: a reply may state an amount, a due date, a PIX code or a boleto line only
 * if a tool result of this conversation (or the provider's own price list) contains it. Anything else
 * is treated as made up: the reply is not sent and a human takes over.
 */

export interface InvoiceFacts {
  amountsInCents: Set<number>
  /** YYYY-MM-DD */
  dates: Set<string>
  pixCodes: Set<string>
  /** digits only */
  boletoLines: Set<string>
}

export interface GuardVerdict {
  ok: boolean
  /** What the reply stated that no tool returned, e.g. "amount R$ 89,90". */
  unsupported: string[]
}

const AMOUNT = /R\$\s?(\d{1,3}(?:\.\d{3})*|\d+),(\d{2})\b/g
const DATE_BR = /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?\b/g
const DATE_ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g

export function emptyFacts(): InvoiceFacts {
  return { amountsInCents: new Set(), dates: new Set(), pixCodes: new Set(), boletoLines: new Set() }
}

const pad = (n: number | string) => String(n).padStart(2, '0')

/**
 * Collects every amount, date, PIX code and boleto line found anywhere in tool results (numbers,
 * strings, nested objects), so the guard needs no knowledge of each ISP plugin's shapes.
 */
export function collectFacts(values: unknown[], facts: InvoiceFacts = emptyFacts()): InvoiceFacts {
  const visit = (value: unknown, key?: string) => {
    if (value === null || value === undefined) return
    if (typeof value === 'number') {
      if (key && /amount|valor|price|preco|fee|total/i.test(key)) facts.amountsInCents.add(Math.round(value * 100))
      return
    }
    if (typeof value === 'string') {
      for (const pix of findPixCodes(value)) facts.pixCodes.add(pix.text)
      for (const line of findBoletoLines(value)) facts.boletoLines.add(line.text.replace(/\D/g, ''))
      for (const m of value.matchAll(DATE_ISO)) facts.dates.add(`${m[1]}-${m[2]}-${m[3]}`)
      for (const m of value.matchAll(AMOUNT)) facts.amountsInCents.add(centsOf(m[1], m[2]))
      if (/^\d+(\.\d{1,2})?$/.test(value) && key && /amount|valor|price/i.test(key)) {
        facts.amountsInCents.add(Math.round(Number(value) * 100))
      }
      return
    }
    if (Array.isArray(value)) return value.forEach((item) => visit(item, key))
    if (typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) visit(child, childKey)
    }
  }
  values.forEach((value) => visit(value))
  return facts
}

function centsOf(integer: string, decimals: string) {
  return Number(integer.replace(/\./g, '')) * 100 + Number(decimals)
}

/** Checks a reply against the facts. `today` lets the AI mention the current date. */
export function checkReply(reply: string, facts: InvoiceFacts, today: Date = new Date()): GuardVerdict {
  const unsupported: string[] = []

  for (const m of reply.matchAll(AMOUNT)) {
    if (!facts.amountsInCents.has(centsOf(m[1], m[2]))) unsupported.push(`amount ${m[0]}`)
  }

  const known = [...facts.dates]
  const todayIso = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`
  const allowedDate = (iso: string, withYear: boolean) =>
    iso === todayIso || (withYear ? known.includes(iso) : known.some((date) => date.slice(5) === iso.slice(5)))
  for (const m of reply.matchAll(DATE_BR)) {
    const [day, month] = [Number(m[1]), Number(m[2])]
    if (day > 31 || month > 12 || day === 0 || month === 0) continue
    const year = m[3] ? (m[3].length === 2 ? `20${m[3]}` : m[3]) : String(today.getFullYear())
    if (!allowedDate(`${year}-${pad(month)}-${pad(day)}`, Boolean(m[3]))) unsupported.push(`date ${m[0]}`)
  }
  for (const m of reply.matchAll(DATE_ISO)) {
    if (!allowedDate(m[0], true)) unsupported.push(`date ${m[0]}`)
  }
  for (const pix of findPixCodes(reply)) {
    if (!facts.pixCodes.has(pix.text)) unsupported.push('PIX code')
  }
  // A "000201..." that is not a complete BR Code is an invented or mangled PIX code too.
  if (reply.includes('000201') && findPixCodes(reply).length === 0) unsupported.push('PIX code')
  for (const line of findBoletoLines(reply)) {
    if (!facts.boletoLines.has(line.text.replace(/\D/g, ''))) unsupported.push('boleto line')
  }
  return { ok: unsupported.length === 0, unsupported }
}
