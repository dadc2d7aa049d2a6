/**
 * Splits an AI reply into WhatsApp-sized messages: at paragraph boundaries first, then lines, then
 * sentences, then words — but a PIX copy-and-paste code or a boleto line is never cut, since a
 * customer copies it whole. An unbreakable token longer than the limit travels alone.
 */
import { findPaymentCodes } from '#services/ai/payment_codes'

export const MAX_MESSAGE_LENGTH = 1000

export function splitReply(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  const paragraphs = text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
  const pieces = paragraphs.flatMap((paragraph) => (paragraph.length <= max ? [paragraph] : breakParagraph(paragraph, max)))
  return pack(pieces, max, '\n\n')
}

function pack(pieces: string[], max: number, joiner: string): string[] {
  const chunks: string[] = []
  let current = ''
  for (const piece of pieces) {
    if (!current) current = piece
    else if (current.length + joiner.length + piece.length <= max) current += joiner + piece
    else {
      chunks.push(current)
      current = piece
    }
  }
  if (current) chunks.push(current)
  return chunks
}

function breakParagraph(paragraph: string, max: number): string[] {
  const lines = paragraph.split('\n').map((line) => line.trim()).filter(Boolean)
  if (lines.length > 1) {
    return pack(lines.flatMap((line) => (line.length <= max ? [line] : breakLine(line, max))), max, '\n')
  }
  return breakLine(paragraph, max)
}

/** Words, with every unbreakable token kept as one "word". */
function atoms(line: string): string[] {
  const result: string[] = []
  let last = 0
  for (const code of findPaymentCodes(line)) {
    result.push(...line.slice(last, code.start).split(/\s+/).filter(Boolean))
    result.push(code.text)
    last = code.end
  }
  result.push(...line.slice(last).split(/\s+/).filter(Boolean))
  return result
}

function breakLine(line: string, max: number): string[] {
  const sentences = line.split(/(?<=[.!?])\s+/)
  const pieces = sentences.flatMap((sentence) =>
    sentence.length <= max && !hasPartialToken(sentence, line) ? [sentence] : pack(atoms(sentence), max, ' ')
  )
  return pack(pieces, max, ' ')
}

/** A sentence split may fall inside a token (a PIX code has no spaces, but a boleto line has). */
function hasPartialToken(sentence: string, line: string) {
  for (const { text: token } of findPaymentCodes(line)) {
    if (!sentence.includes(token) && token.split(/\s+/).some((part) => part.length > 4 && sentence.includes(part))) {
      return true
    }
  }
  return false
}
