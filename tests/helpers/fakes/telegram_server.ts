import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture } from '#tests/helpers/fixtures'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'

export interface TelegramCall {
  method: string
  /** JSON body, or the text fields of a multipart body. */
  body: Record<string, any>
  /** Files of a multipart body, by field. */
  files: Record<string, { name: string; type: string; size: number; bytes: Buffer }>
  /** Whether it came while a 429's retry_after was still running (Telegram would refuse it again). */
  premature?: boolean
}

/**
 * A fake Telegram Bot API over real HTTP: `POST /bot<token>/<method>` (JSON or multipart) answered
 * with `{ok, result}` like Telegram, `GET /file/bot<token>/<path>` for downloads, 401 for another token,
 * and scripted failures (`failNext`: a 429 with `retry_after`, a 403 like a bot blocked by the user,
 * a 5xx). Like Telegram, a call that comes back before a 429's `retry_after` has passed is refused
 * again (and marked `premature`). Update bodies come from the recorded fixtures.
 */
export class FakeTelegram {
  readonly token = '7012345678:AAFakeBotTokenForTests_abcdefghijkl'
  readonly calls: TelegramCall[] = []
  /** What the last setWebhook registered. */
  webhook: { url: string; secretToken: string } | null = null
  /** Files served by getFile + download, by file_id. */
  readonly files = new Map<string, { path: string; bytes: Buffer }>()
  baseUrl = ''
  #server?: Server
  #nextMessageId = 5000
  #failures: { method: string; status: number; retryAfter?: number }[] = []
  /** Method → when its 429 ends. */
  #limitedUntil = new Map<string, number>()
  #updateId = 734220000

  constructor() {
    const voice = fixture('telegram-getfile-response.json').result
    this.files.set(voice.file_id, { path: voice.file_path, bytes: Buffer.from('OggS-fake-voice-note') })
    const photo = fixture('telegram-update-photo.json').message.photo.at(-1)
    this.files.set(photo.file_id, { path: 'photos/file_7.jpg', bytes: TINY_PNG })
  }

  async start() {
    this.#server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close() {
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  config(overrides: Record<string, unknown> = {}) {
    return { botToken: this.token, apiBaseUrl: this.baseUrl, ...overrides }
  }

  /** The next call of `method` fails with this status (429 carries `retry_after` seconds). */
  failNext(method: string, status: number, retryAfter?: number) {
    this.#failures.push({ method, status, retryAfter })
  }

  sends() {
    return this.calls.filter((call) => call.method.startsWith('send') && call.method !== 'sendChatAction')
  }

  /* Updates, from the recorded fixtures. */

  text(options: { messageId?: number; userId?: number; text?: string; date?: number; firstName?: string } = {}) {
    const update = fixture('telegram-update-text.json')
    update.update_id = ++this.#updateId
    const message = update.message
    if (options.messageId) message.message_id = options.messageId
    if (options.userId) message.from.id = message.chat.id = options.userId
    if (options.text !== undefined) message.text = options.text
    if (options.date) message.date = options.date
    if (options.firstName) message.from.first_name = message.chat.first_name = options.firstName
    return update
  }

  photo(options: { messageId?: number; userId?: number } = {}) {
    return this.#retarget(fixture('telegram-update-photo.json'), options)
  }

  voice(options: { messageId?: number; userId?: number } = {}) {
    return this.#retarget(fixture('telegram-update-voice.json'), options)
  }

  /** A text update with another content in place of `text` (document, location, contact, reply...). */
  withContent(content: Record<string, unknown>, options: { messageId?: number; userId?: number } = {}) {
    const update = this.text(options)
    delete update.message.text
    Object.assign(update.message, content)
    return update
  }

  edited(messageId: number, text: string, userId?: number) {
    const update = this.text({ messageId, userId, text })
    update.edited_message = { ...update.message, edit_date: update.message.date + 60 }
    delete update.message
    return update
  }

  #retarget(update: any, options: { messageId?: number; userId?: number }) {
    update.update_id = ++this.#updateId
    if (options.messageId) update.message.message_id = options.messageId
    if (options.userId) update.message.from.id = update.message.chat.id = options.userId
    return update
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const reply = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type })
      res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body))
    }
    const url = new URL(req.url ?? '/', 'http://fake')
    const download = url.pathname.match(/^\/file\/bot([^/]+)\/(.+)$/)
    if (download) {
      if (download[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' })
      const file = [...this.files.values()].find((candidate) => candidate.path === download[2])
      return file ? reply(200, file.bytes, 'application/octet-stream') : reply(404, { ok: false, error_code: 404, description: 'Not Found' })
    }
    const call = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/)
    if (!call) return reply(404, { ok: false, error_code: 404, description: 'Not Found' })
    if (call[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' })
    const method = call[2]

    const recorded: TelegramCall = { method, body: {}, files: {} }
    const type = String(req.headers['content-type'] ?? '')
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData()
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') recorded.body[key] = value
        else recorded.files[key] = { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) }
      }
    } else if (raw.length) {
      recorded.body = JSON.parse(raw.toString('utf8'))
    }
    this.calls.push(recorded)

    const limitedUntil = this.#limitedUntil.get(method) ?? 0
    if (Date.now() < limitedUntil) {
      recorded.premature = true
      const retryAfter = Math.ceil((limitedUntil - Date.now()) / 1000)
      return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } })
    }
    const failure = this.#failures.findIndex((f) => f.method === method)
    if (failure >= 0) {
      const [{ status, retryAfter }] = this.#failures.splice(failure, 1)
      if (status === 429 && retryAfter) this.#limitedUntil.set(method, Date.now() + retryAfter * 1000)
      const descriptions: Record<number, string> = {
        429: `Too Many Requests: retry after ${retryAfter}`,
        403: 'Forbidden: bot was blocked by the user',
        400: 'Bad Request: chat not found',
      }
      return reply(status, {
        ok: false,
        error_code: status,
        description: descriptions[status] ?? 'Internal Server Error',
        ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}),
      })
    }

    const chatId = Number(recorded.body.chat_id)
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: { id: 7012345678, is_bot: true, first_name: 'Provedor Fibra', username: 'provedorfibra_bot' } })
      case 'setWebhook':
        this.webhook = { url: recorded.body.url, secretToken: recorded.body.secret_token }
        return reply(200, { ok: true, result: true, description: 'Webhook was set' })
      case 'getWebhookInfo':
        return reply(200, { ok: true, result: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 } })
      case 'deleteWebhook':
        this.webhook = null
        return reply(200, { ok: true, result: true, description: 'Webhook was deleted' })
      case 'getFile': {
        const file = this.files.get(recorded.body.file_id)
        if (!file) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' })
        return reply(200, { ok: true, result: { file_id: recorded.body.file_id, file_unique_id: 'u', file_size: file.bytes.length, file_path: file.path } })
      }
      case 'sendMessage':
        if (typeof recorded.body.text !== 'string' || recorded.body.text.length > 4096) {
          return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' })
        }
      // falls through
      case 'sendPhoto':
      case 'sendVoice':
      case 'sendAudio':
      case 'sendVideo':
      case 'sendDocument':
        return reply(200, { ok: true, result: { message_id: ++this.#nextMessageId, chat: { id: chatId, type: 'private' }, date: Math.floor(Date.now() / 1000) } })
      case 'sendChatAction':
      case 'deleteMessage':
      case 'setMessageReaction':
        return reply(200, { ok: true, result: true })
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' })
    }
  }
}
