import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { fixture } from '#tests/helpers/fixtures'

export interface EvolutionRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

/** A 1×1 PNG: real bytes, so type sniffing and the media route can be checked. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (chunk) => (data += chunk))
    req.on('end', () => resolve(data))
  })

/**
 * A fake Evolution API v2 over real HTTP: checks the `apikey` header and the instance name like the
 * real server, answers send routes with the prepared-message shape (HTTP 201, `key.id`), serves media
 * through getBase64FromMediaMessage, and builds webhook bodies from the recorded fixtures.
 */
export class FakeEvolution {
  readonly requests: EvolutionRequest[] = []
  readonly apiKey = 'B6D711FC-DE4D-4FD5-9365-44120E713976'
  readonly instance = 'provedor-fibra'
  baseUrl = ''
  state: 'open' | 'close' | 'connecting' = 'close'
  /** Media served by getBase64FromMediaMessage, by message id (default: TINY_PNG). */
  media = new Map<string, { data: Buffer; mimetype: string }>()
  /** Statuses to answer the next send calls with (e.g. [503, 503]); consumed one per call. */
  failSends: number[] = []
  /** Runs before a send route answers, with the id it will return (e.g. to post the echo first). */
  beforeSendAnswer?: (externalId: string, body: any) => Promise<void>
  #server!: Server

  async start() {
    this.#server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close() {
    this.#server.closeAllConnections()
    await new Promise((resolve) => this.#server.close(resolve))
  }

  config(overrides: Record<string, unknown> = {}) {
    return { baseUrl: this.baseUrl, apiKey: this.apiKey, instance: this.instance, ...overrides }
  }

  sends() {
    return this.requests.filter((r) => r.path.startsWith('/message/send') && r.path !== '/message/sendReaction/' + this.instance)
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const text = await readBody(req)
    let body: any = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {}
    const path = (req.url ?? '').split('?')[0]
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body })
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(payload))
    }
    if (req.headers.apikey !== this.apiKey) return send(401, { status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } })
    const [, group, action, instance] = path.split('/')
    if (decodeURIComponent(instance ?? '') !== this.instance) {
      return send(404, { status: 404, error: 'Not Found', response: { message: [`The "${instance}" instance does not exist`] } })
    }
    const route = `${req.method} /${group}/${action}`
    switch (route) {
      case 'GET /instance/connectionState':
        return send(200, { instance: { instanceName: this.instance, state: this.state } })
      case 'GET /instance/connect':
        return send(200, { pairingCode: 'WZYEH1YY', code: '2@fakeqr', base64: 'data:image/png;base64,' + TINY_PNG.toString('base64'), count: 1 })
      case 'POST /webhook/set':
        if (!body?.webhook?.url || body.webhook.enabled !== true) return send(400, { status: 400, response: { message: ['url is required'] } })
        return send(201, { webhook: { instanceName: this.instance, webhook: body.webhook } })
      case 'POST /message/sendText':
      case 'POST /message/sendMedia':
      case 'POST /message/sendWhatsAppAudio': {
        const failure = this.failSends.shift()
        if (failure) return send(failure, { status: failure, error: 'Fake failure', response: { message: ['try later'] } })
        if (action === 'sendText' && !body?.text) return send(400, { status: 400, error: 'Bad Request', response: { message: ['text is required'] } })
        const id = '3EB0' + randomBytes(9).toString('hex').toUpperCase()
        await this.beforeSendAnswer?.(id, body)
        return send(201, {
          key: { remoteJid: `${body.number}@s.whatsapp.net`, fromMe: true, id },
          pushName: 'Você',
          status: 'PENDING',
          message: action === 'sendText' ? { conversation: body.text } : {},
          messageType: action === 'sendText' ? 'conversation' : 'imageMessage',
          messageTimestamp: Math.floor(Date.now() / 1000),
          instanceId: '0b6f2d9e-4c1a-4e7b-9a53-2f8d1c6e7a40',
          source: 'web',
        })
      }
      case 'POST /message/sendReaction':
        return send(201, { key: { id: '3EB0REACT' }, status: 'PENDING' })
      case 'DELETE /chat/deleteMessageForEveryone':
        return send(201, { key: { id: body?.id }, status: 'DELETED' })
      case 'POST /chat/markMessageAsRead':
        return send(201, { message: 'Read messages', read: 'success' })
      case 'POST /chat/sendPresence':
        return send(201, { presence: body?.presence })
      case 'POST /chat/getBase64FromMediaMessage': {
        const id = body?.message?.key?.id
        const media = this.media.get(id) ?? { data: TINY_PNG, mimetype: 'image/png' }
        return send(201, { mediaType: 'imageMessage', fileName: `${id}.png`, mimetype: media.mimetype, base64: media.data.toString('base64') })
      }
      default:
        return send(404, { status: 404, error: 'Not Found', response: { message: ['Cannot ' + route] } })
    }
  }

  /* ------------------------------ webhook bodies from the fixtures ------------------------------ */

  text(options: { id?: string; phone?: string; lid?: string | null; text?: string; name?: string; at?: number } = {}) {
    const body = fixture('evolution-messages-upsert-text.json')
    const phone = options.phone ?? '5511999990001'
    body.data.key.id = options.id ?? body.data.key.id
    body.data.key.remoteJid = `${phone}@s.whatsapp.net`
    if (options.lid === null) delete body.data.key.remoteJidAlt
    else if (options.lid) body.data.key.remoteJidAlt = options.lid
    if (options.text !== undefined) body.data.message.conversation = options.text
    if (options.name) body.data.pushName = options.name
    if (options.at) body.data.messageTimestamp = options.at
    return body
  }

  /** A message addressed by LID only (Evolution 2.3.6, `addressingMode: "lid"`), phone in the Alt field or absent. */
  lidText(options: { id: string; lid: string; phone?: string; text?: string }) {
    const body = this.text({ id: options.id, text: options.text })
    body.data.key.remoteJid = options.lid
    body.data.key.addressingMode = 'lid'
    if (options.phone) body.data.key.remoteJidAlt = `${options.phone}@s.whatsapp.net`
    else delete body.data.key.remoteJidAlt
    return body
  }

  image(options: { id?: string; phone?: string } = {}) {
    const body = fixture('evolution-messages-upsert-image.json')
    if (options.id) body.data.key.id = options.id
    if (options.phone) body.data.key.remoteJid = `${options.phone}@s.whatsapp.net`
    return body
  }

  ack(externalId: string, status = 'READ') {
    const body = fixture('evolution-messages-update-ack.json')
    body.data.keyId = externalId
    body.data.status = status
    return body
  }

  reaction(targetId: string, emoji = '👍', id = 'AC0E4C2A8B6D4F1E3A5C7E9B1D3F5A7C') {
    const body = fixture('evolution-reaction.json')
    body.data.key.id = id
    body.data.message.reactionMessage.key.id = targetId
    body.data.message.reactionMessage.text = emoji
    return body
  }

  deletion(targetId: string) {
    const body = fixture('evolution-messages-delete.json')
    body.data.id = targetId
    return body
  }

  connection(state = 'open') {
    const body = fixture('evolution-connection-update.json')
    body.data.state = state
    return body
  }

  /** SEND_MESSAGE: our own API send coming back. */
  sendEcho(externalId: string, text: string, phone = '5511999990001') {
    const body = this.text({ id: externalId, phone, text })
    body.event = 'send.message'
    body.data.key.fromMe = true
    body.data.status = 'PENDING'
    body.data.pushName = 'Você'
    return body
  }

  /** A message typed by a person on the business phone (upsert with fromMe). */
  typedOnPhone(externalId: string, text: string, phone = '5511999990001') {
    const body = this.text({ id: externalId, phone, text })
    body.data.key.fromMe = true
    body.data.pushName = 'Carlos (suporte)'
    return body
  }

  group(options: { id: string; text: string; groupJid?: string; participant?: string }) {
    const body = this.text({ id: options.id, text: options.text })
    body.data.key.remoteJid = options.groupJid ?? '120363025246125486@g.us'
    delete body.data.key.remoteJidAlt
    body.data.key.participant = `${options.participant ?? '5511999990002'}@s.whatsapp.net`
    body.data.pushName = 'João Pedro Lima'
    return body
  }

  poll(id: string) {
    const body = this.text({ id })
    body.data.message = { pollCreationMessageV3: { name: 'Qual plano?', options: [{ optionName: '300' }] } }
    body.data.messageType = 'pollCreationMessageV3'
    return body
  }
}
