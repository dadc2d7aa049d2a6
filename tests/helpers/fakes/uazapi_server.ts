import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { fixture } from '#tests/helpers/fixtures'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'

export interface UazapiRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (chunk) => (data += chunk))
    req.on('end', () => resolve(data))
  })

/**
 * A fake uazapiGO v2 over real HTTP: `token` header checked, send routes answer the Message object
 * (`messageid`, `track_id` echoed), `/message/download` serves media as base64, and webhook bodies are
 * built from the recorded fixtures.
 */
export class FakeUazapi {
  readonly requests: UazapiRequest[] = []
  readonly token = '7c1e9a52-3f4b-4d8e-a6c2-91b0d5e8f4a3'
  baseUrl = ''
  connected = false
  media = new Map<string, { data: Buffer; mimetype: string }>()
  failSends: number[] = []
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
    return { baseUrl: this.baseUrl, token: this.token, ...overrides }
  }

  sends() {
    return this.requests.filter((r) => r.path.startsWith('/send/'))
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
    if (!req.headers.token) return send(401, { error: 'missing token' })
    if (req.headers.token !== this.token) return send(401, { error: 'Invalid token' })
    switch (`${req.method} ${path}`) {
      case 'GET /instance/status':
        return send(200, {
          instance: { id: 'r1', name: 'provedor-fibra', status: this.connected ? 'connected' : 'disconnected' },
          status: { connected: this.connected, loggedIn: this.connected },
        })
      case 'POST /instance/connect':
        return send(200, { status: 'connecting', qrcode: 'data:image/png;base64,' + TINY_PNG.toString('base64'), paircode: 'ABCD-EFGH' })
      case 'POST /webhook':
        if (!body?.url) return send(400, { error: 'url is required' })
        return send(200, [{ id: 'wh1', ...body }])
      case 'POST /send/text':
      case 'POST /send/media': {
        const failure = this.failSends.shift()
        if (failure) return send(failure, { error: 'fake failure' })
        if (path === '/send/text' && !body?.text) return send(400, { error: 'text is required' })
        const messageid = '3EB0' + randomBytes(9).toString('hex').toUpperCase()
        await this.beforeSendAnswer?.(messageid, body)
        return send(200, {
          id: `5511999990000:${messageid}`,
          messageid,
          chatid: `${body.number}@s.whatsapp.net`,
          fromMe: true,
          messageTimestamp: Date.now(),
          status: 'Pending',
          wasSentByApi: true,
          track_source: body.track_source ?? '',
          track_id: body.track_id ?? '',
          response: { status: 'success', message: 'Message sent successfully' },
        })
      }
      case 'POST /message/react':
      case 'POST /message/markread':
      case 'POST /message/presence':
        return send(200, { response: 'ok' })
      case 'POST /message/delete':
        return send(200, { timestamp: Date.now(), id: body?.id })
      case 'POST /message/download': {
        const media = this.media.get(body?.id) ?? { data: TINY_PNG, mimetype: 'image/png' }
        return send(200, { mimetype: media.mimetype, base64Data: media.data.toString('base64') })
      }
      default:
        return send(404, { error: 'not found' })
    }
  }

  /* ------------------------------ webhook bodies from the fixtures ------------------------------ */

  text(options: { id?: string; phone?: string; lid?: string | null; text?: string; name?: string; at?: number } = {}) {
    const body = fixture('uazapi-message-text.json')
    const m = body.message
    const phone = options.phone ?? '5511999990001'
    if (options.id) {
      m.messageid = options.id
      m.id = `5511999990000:${options.id}`
    }
    m.chatid = `${phone}@s.whatsapp.net`
    m.sender_pn = `${phone}@s.whatsapp.net`
    if (options.lid === null) {
      m.chatlid = ''
      m.sender_lid = ''
      m.sender = m.sender_pn
      body.chat.wa_chatlid = ''
    } else if (options.lid) {
      m.chatlid = options.lid
      m.sender_lid = options.lid
      m.sender = options.lid
      body.chat.wa_chatlid = options.lid
    }
    if (options.text !== undefined) {
      m.text = options.text
      m.content.text = options.text
    }
    if (options.name) m.senderName = options.name
    if (options.at) m.messageTimestamp = options.at
    return body
  }

  lidText(options: { id: string; lid: string; phone?: string; text?: string }) {
    const body = this.text({ id: options.id, text: options.text, lid: options.lid })
    const m = body.message
    if (options.phone) {
      m.chatid = `${options.phone}@s.whatsapp.net`
      m.sender_pn = m.chatid
    } else {
      m.chatid = options.lid
      m.sender_pn = ''
      body.chat.wa_chatid = ''
    }
    return body
  }

  image(options: { id?: string; phone?: string } = {}) {
    const body = fixture('uazapi-message-image.json')
    if (options.id) {
      body.message.messageid = options.id
      body.message.id = `5511999990000:${options.id}`
    }
    return body
  }

  audio(options: { id?: string } = {}) {
    const body = fixture('uazapi-message-audio.json')
    if (options.id) {
      body.message.messageid = options.id
      body.message.id = `5511999990000:${options.id}`
    }
    return body
  }

  ack(externalId: string, state = 'Read') {
    const body = fixture('uazapi-messages-update-ack.json')
    body.event.MessageIDs = [externalId]
    body.event.Type = state
    body.state = state
    return body
  }

  reaction(targetId: string, emoji = '👍') {
    const body = fixture('uazapi-reaction.json')
    body.message.reaction = targetId
    body.message.content.key.ID = targetId
    body.message.text = emoji
    return body
  }

  deletion(targetId: string) {
    const body = this.ack(targetId, 'Deleted')
    body.type = 'Deleted'
    return body
  }

  connection(status = 'connected') {
    const body = fixture('uazapi-connection.json')
    body.instance.status = status
    return body
  }

  /** Our own send coming back (wasSentByApi with our track id). */
  sendEcho(externalId: string, text: string, trackId?: string) {
    const body = this.typedOnPhone(externalId, text)
    body.message.wasSentByApi = true
    body.message.track_source = trackId ? 'niochat' : ''
    body.message.track_id = trackId ?? ''
    return body
  }

  typedOnPhone(externalId: string, text: string) {
    const body = fixture('uazapi-fromme.json')
    body.message.messageid = externalId
    body.message.id = `5511999990000:${externalId}`
    body.message.content = text
    body.message.text = text
    return body
  }
}
