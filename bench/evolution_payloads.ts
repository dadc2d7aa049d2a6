/*
 * Webhook bodies for the benches: the recorded Evolution text message (../shared/fixtures), with the
 * id, sender and text of each bench message. The bench inboxes use this apikey and instance, which
 * Evolution's webhook check compares.
 */
import { readFileSync } from 'node:fs'

export const BENCH_EVOLUTION = { apiKey: 'bench-key', instance: 'provedor-fibra' }

const template = JSON.parse(readFileSync(new URL('../../shared/fixtures/evolution-messages-upsert-text.json', import.meta.url), 'utf8'))

/** One customer text message; `contact` picks the sender (its phone and LID). */
export function evolutionText(options: { id: string; contact: number; text?: string }) {
  const body = structuredClone(template)
  body.apikey = BENCH_EVOLUTION.apiKey
  body.instance = BENCH_EVOLUTION.instance
  body.data.key.id = options.id
  body.data.key.remoteJid = `55119${String(10_000_000 + options.contact).padStart(8, '0')}@s.whatsapp.net`
  body.data.key.remoteJidAlt = `${1_000_000 + options.contact}@lid`
  body.data.messageTimestamp = Math.floor(Date.now() / 1000)
  if (options.text !== undefined) body.data.message.conversation = options.text
  return JSON.stringify(body)
}
