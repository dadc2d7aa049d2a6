/**
 * Finding PIX copy-and-paste codes and boleto lines in text. A PIX code is an EMV payload (BR Code):
 * fields of 2-digit id + 2-digit length + value, starting with "000201" and ending with the CRC field
 * "63" "04" XXXX. Merchant names inside it contain spaces, so it is found by walking its fields, not by
 * a "no whitespace" pattern; a code whose field lengths do not add up (some generators get them wrong)
 * still ends at its CRC field followed by a space or the end of the line.
 */
export interface Span {
  start: number
  end: number
  text: string
}

const MAX_PIX_LENGTH = 512

export function findPixCodes(text: string): Span[] {
  const spans: Span[] = []
  let from = 0
  for (;;) {
    const start = text.indexOf('000201', from)
    if (start === -1) return spans
    const end = pixEnd(text, start) ?? looseEnd(text, start)
    if (end) {
      spans.push({ start, end, text: text.slice(start, end) })
      from = end
    } else {
      from = start + 6
    }
  }
}

function pixEnd(text: string, start: number): number | null {
  let pos = start
  while (pos - start < MAX_PIX_LENGTH && pos + 4 <= text.length) {
    const id = text.slice(pos, pos + 2)
    const length = text.slice(pos + 2, pos + 4)
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(length)) return null
    pos += 4 + Number(length)
    if (pos > text.length) return null
    if (id === '63') return Number(length) === 4 ? pos : null
  }
  return null
}

const LOOSE_PIX = /^000201[^\n]{20,}?6304[0-9A-Fa-f]{4}(?=\s|$)/

function looseEnd(text: string, start: number): number | null {
  const match = text.slice(start, start + MAX_PIX_LENGTH + 1).match(LOOSE_PIX)
  return match ? start + match[0].length : null
}

/** Boleto "linha digitável": 47 digits (bank) or 48 digits (utility/"convênio"), as usually grouped. */
const BOLETO =
  /\b\d{5}[.\s]?\d{5}\s\d{5}[.\s]?\d{6}\s\d{5}[.\s]?\d{6}\s\d\s\d{14}\b|\b\d{11}[-\s]?\d\s\d{11}[-\s]?\d\s\d{11}[-\s]?\d\s\d{11}[-\s]?\d\b|\b\d{47,48}\b/g

export function findBoletoLines(text: string): Span[] {
  return [...text.matchAll(BOLETO)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }))
}

/** Every span that must never be cut or altered, in order. */
export function findPaymentCodes(text: string): Span[] {
  return [...findPixCodes(text), ...findBoletoLines(text)].sort((a, b) => a.start - b.start)
}
