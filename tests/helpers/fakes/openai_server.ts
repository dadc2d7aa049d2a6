import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture } from '#tests/helpers/fixtures'

export interface ScriptedUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

export interface ScriptedToolCall {
  name: string
  /** An object is sent as its JSON text, as the API does; a string is sent as is (even invalid JSON). */
  arguments: Record<string, unknown> | string
  id?: string
}

/** One scripted answer of the fake. Every kind may wait `delayMs` before answering. */
export type ScriptedReply = { delayMs?: number } & (
  | { text: string; usage?: ScriptedUsage; finishReason?: string }
  | { toolCalls: ScriptedToolCall[]; text?: string | null; usage?: ScriptedUsage }
  | { error: number; message?: string; code?: string; type?: string; headers?: Record<string, string> }
  /** A recorded chat completion from the fixtures, sent verbatim. */
  | { fixture: string }
  /** Accept the connection and never answer (a hung upstream); the client's timeout must end it. */
  | { hang: true }
)

export type ScriptedTranscription = { delayMs?: number } & (
  | { text: string }
  | { error: number; message?: string; code?: string; type?: string; headers?: Record<string, string> }
)

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON body, or the multipart fields (the file as `{ name, type, size }`). */
  body: Record<string, any>
}

const SUPPORTED_AUDIO = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'ogg', 'wav', 'webm']
const DEFAULT_USAGE: ScriptedUsage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }

/**
 * A scriptable OpenAI-compatible server over real HTTP (`/v1/chat/completions`,
 * `/v1/audio/transcriptions`, `/v1/models`). A test queues the answers the "model" gives, in order —
 * text, tool calls, HTTP errors (429 with Retry-After, 500...), delays — and reads back every request
 * it received. It checks what the real API checks: the Bearer key (401 `invalid_api_key`), the chat
 * request's shape (a model, messages, never an empty `tools` list, every tool message answering a
 * preceding tool call and every tool call answered) and the transcription upload (multipart with `file`
 * of a supported extension and `model`), answering 400 `invalid_request_error` like OpenAI.
 *
 * With nothing queued it answers 500, so a test that forgot to script a turn fails loudly; set
 * `onUnscripted` to answer dynamically instead.
 */
export class FakeOpenAi {
  readonly requests: RecordedRequest[] = []
  readonly chatQueue: ScriptedReply[] = []
  readonly transcriptionQueue: ScriptedTranscription[] = []
  /** Answer for a chat request when the queue is empty (default: a 500 error). */
  onUnscripted?: (body: Record<string, any>) => ScriptedReply
  models = ['gpt-4o-mini', 'whisper-1', 'gpt-4o-mini-transcribe']

  private server!: Server
  private pending = new Set<NodeJS.Timeout>()
  private completions = 0
  baseUrl = ''

  constructor(readonly apiKey = 'sk-test-9f1b2c3d4e5f6a7b8c9d0e1f') {}

  static async start(options: { apiKey?: string } = {}) {
    const fake = new FakeOpenAi(options.apiKey)
    await fake.listen()
    return fake
  }

  /* ---------------------------------------------------------------- scripting */

  /** Queue chat answers, in the order the model will give them. */
  reply(...steps: ScriptedReply[]) {
    this.chatQueue.push(...steps)
    return this
  }

  replyText(text: string, extra: { usage?: ScriptedUsage; delayMs?: number } = {}) {
    return this.reply({ text, ...extra })
  }

  replyToolCalls(calls: ScriptedToolCall[], extra: { usage?: ScriptedUsage; delayMs?: number } = {}) {
    return this.reply({ toolCalls: calls, ...extra })
  }

  /** An HTTP error; `retryAfterMs` becomes the `retry-after-ms` header the SDK honours. */
  replyError(status: number, extra: { message?: string; code?: string; retryAfterMs?: number; times?: number } = {}) {
    const headers: Record<string, string> = {}
    if (extra.retryAfterMs !== undefined) headers['retry-after-ms'] = String(extra.retryAfterMs)
    for (let i = 0; i < (extra.times ?? 1); i++) {
      this.reply({ error: status, message: extra.message, code: extra.code, headers })
    }
    return this
  }

  transcribeAs(...steps: ScriptedTranscription[]) {
    this.transcriptionQueue.push(...steps)
    return this
  }

  /* ---------------------------------------------------------------- reading back */

  /** Bodies of every chat completion request, in order. */
  get chatRequests(): Record<string, any>[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body)
  }

  get transcriptionRequests(): Record<string, any>[] {
    return this.requests.filter((r) => r.path === '/v1/audio/transcriptions').map((r) => r.body)
  }

  /** The last chat request's messages, handy to check what the model was shown. */
  get lastMessages(): Record<string, any>[] {
    return this.chatRequests.at(-1)?.messages ?? []
  }

  /* ---------------------------------------------------------------- server */

  private listen() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk) => chunks.push(chunk))
      req.on('end', () => {
        this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)).then(
          ({ status, body, headers, delayMs, hang }) => {
            if (hang) return
            const timer = setTimeout(() => {
              this.pending.delete(timer)
              if (res.destroyed) return
              send(res, status, body, headers)
            }, delayMs ?? 0)
            this.pending.add(timer)
          },
          (error) => send(res, 500, apiError(`fake failure: ${(error as Error).message}`, 'server_error'))
        )
      })
    })
    return new Promise<void>((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`
        resolve()
      })
    })
  }

  async close() {
    for (const timer of this.pending) clearTimeout(timer)
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    raw: Buffer
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string>; delayMs?: number; hang?: boolean }> {
    const path = url.split('?')[0]
    const contentType = String(headers['content-type'] ?? '')
    let body: Record<string, any> = {}
    if (contentType.startsWith('application/json') && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        this.requests.push({ method, path, headers, body: { raw: raw.toString('utf8') } })
        return { status: 400, body: apiError('We could not parse the JSON body of your request.', 'invalid_request_error') }
      }
    } else if (contentType.startsWith('multipart/form-data')) {
      body = await multipartFields(raw, contentType)
    }
    this.requests.push({ method, path, headers, body })

    if (headers.authorization !== `Bearer ${this.apiKey}`) {
      const given = String(headers.authorization ?? '').replace(/^Bearer /, '')
      return {
        status: 401,
        body: apiError(
          `Incorrect API key provided: ${given.slice(0, 3)}${'*'.repeat(Math.max(0, given.length - 7))}${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key'
        ),
      }
    }

    if (method === 'GET' && path === '/v1/models') {
      return {
        status: 200,
        body: { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) },
      }
    }
    if (method === 'POST' && path === '/v1/chat/completions') return this.chat(body)
    if (method === 'POST' && path === '/v1/audio/transcriptions') return this.transcription(body)
    return { status: 404, body: apiError(`Invalid URL (${method} ${path})`, 'invalid_request_error') }
  }

  private chat(body: Record<string, any>) {
    const invalid = chatRequestProblem(body)
    if (invalid) return { status: 400, body: apiError(invalid.message, 'invalid_request_error', null, invalid.param) }

    const step = this.chatQueue.shift() ?? this.onUnscripted?.(body)
    if (!step) {
      return { status: 500, body: apiError('fake OpenAI: no scripted reply left for this request', 'server_error') }
    }
    const delayMs = step.delayMs
    if ('hang' in step) return { status: 0, body: null, hang: true }
    if ('error' in step) {
      return {
        status: step.error,
        headers: step.headers,
        delayMs,
        body: apiError(step.message ?? defaultMessage(step.error), step.type ?? defaultType(step.error), step.code ?? null),
      }
    }
    if ('fixture' in step) return { status: 200, body: fixture(step.fixture), delayMs }

    const id = `chatcmpl-fake${String(++this.completions).padStart(6, '0')}`
    const message: Record<string, unknown> = { role: 'assistant', refusal: null, annotations: [] }
    let finishReason: string
    if ('toolCalls' in step) {
      message.content = step.text ?? null
      message.tool_calls = step.toolCalls.map((call, index) => ({
        id: call.id ?? `call_${id.slice(-6)}_${index}`,
        type: 'function',
        function: {
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        },
      }))
      finishReason = 'tool_calls'
    } else {
      message.content = step.text
      finishReason = step.finishReason ?? 'stop'
    }
    return {
      status: 200,
      delayMs,
      body: {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage: step.usage ?? DEFAULT_USAGE,
        service_tier: 'default',
        system_fingerprint: 'fp_fake',
      },
    }
  }

  private transcription(body: Record<string, any>) {
    if (!body.file) return { status: 400, body: apiError("you must provide a 'file' field", 'invalid_request_error', null, 'file') }
    if (!body.model) return { status: 400, body: apiError("you must provide a 'model' field", 'invalid_request_error', null, 'model') }
    const extension = String(body.file.name ?? '').split('.').pop()?.toLowerCase() ?? ''
    if (!SUPPORTED_AUDIO.includes(extension)) {
      return {
        status: 400,
        body: apiError(
          `Invalid file format. Supported formats: ${JSON.stringify(SUPPORTED_AUDIO)}`,
          'invalid_request_error',
          null,
          'file'
        ),
      }
    }
    const step: ScriptedTranscription = this.transcriptionQueue.shift() ?? {
      text: fixture('openai-transcription-response.json').text,
    }
    if ('error' in step) {
      return {
        status: step.error,
        headers: step.headers,
        delayMs: step.delayMs,
        body: apiError(step.message ?? defaultMessage(step.error), step.type ?? defaultType(step.error), step.code ?? null),
      }
    }
    return {
      status: 200,
      delayMs: step.delayMs,
      body: { ...fixture('openai-transcription-response.json'), text: step.text },
    }
  }
}

/** The checks OpenAI makes on a chat request that a client is most likely to get wrong. */
function chatRequestProblem(body: Record<string, any>): { message: string; param: string } | null {
  if (typeof body.model !== 'string' || !body.model) return { message: "you must provide a model parameter", param: 'model' }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { message: "[] is too short - 'messages'", param: 'messages' }
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools) || body.tools.length === 0) return { message: "[] is too short - 'tools'", param: 'tools' }
    for (const [i, tool] of body.tools.entries()) {
      if (tool?.type !== 'function' || typeof tool?.function?.name !== 'string') {
        return { message: `Missing required parameter: 'tools[${i}].function'.`, param: `tools[${i}]` }
      }
    }
  }
  const awaiting = new Set<string>()
  for (const [i, message] of body.messages.entries()) {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(message?.role)) {
      return { message: `Invalid value: '${message?.role}'. Supported values are: 'system', 'assistant', 'user', 'tool'...`, param: `messages[${i}].role` }
    }
    if (message.role === 'tool') {
      if (!awaiting.delete(message.tool_call_id)) {
        return {
          message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: `messages.[${i}].role`,
        }
      }
      continue
    }
    if (awaiting.size) {
      return {
        message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...awaiting].join(', ')}`,
        param: 'messages',
      }
    }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) awaiting.add(call.id)
    }
  }
  if (awaiting.size) {
    return {
      message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...awaiting].join(', ')}`,
      param: 'messages',
    }
  }
  return null
}

async function multipartFields(raw: Buffer, contentType: string): Promise<Record<string, any>> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData()
  const fields: Record<string, any> = {}
  for (const [key, value] of form.entries()) {
    fields[key] =
      typeof value === 'string'
        ? value
        : { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) }
  }
  return fields
}

function apiError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } }
}

function defaultMessage(status: number) {
  if (status === 429) return 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.'
  if (status >= 500) return 'The server had an error while processing your request. Sorry about that!'
  return 'Bad request'
}

function defaultType(status: number) {
  if (status === 429) return 'requests'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
