import { test } from '@japa/runner'
import { container } from 'tsyringe'
import { PluginError, TOKENS, type ChatMessage, type InstanceContext, type PluginLogger, type ToolDefinition } from '#plugins/sdk'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { fixture } from '#tests/helpers/fixtures'
import { OpenAiAdapter } from '../openai_adapter.js'
import type { OpenAiConfig } from '../openai_client.js'
import plugin from '../plugin.js'

function contextFor(fake: FakeOpenAi, overrides: Partial<OpenAiConfig> = {}) {
  const lines: string[] = []
  const write = (obj: object | string, msg?: string) => void lines.push(JSON.stringify([obj, msg]))
  const logger: PluginLogger = { debug: write, info: write, warn: write, error: write }
  const ctx: InstanceContext<OpenAiConfig> = {
    providerId: 1,
    config: {
      baseUrl: fake.baseUrl,
      apiKey: fake.apiKey,
      model: 'gpt-4o-mini',
      transcriptionModel: 'gpt-4o-mini-transcribe',
      maxRetries: 2,
      ...overrides,
    },
    logger,
  }
  return { ctx, lines }
}

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PluginError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

/** The tools of the recorded request, in our SDK's shape. */
const TOOLS: ToolDefinition[] = fixture('openai-chat-tool-call-request.json').tools.map((t: any) => ({
  name: t.function.name,
  description: t.function.description,
  parameters: t.function.parameters,
}))
const CONVERSATION: ChatMessage[] = fixture('openai-chat-tool-call-request.json').messages

test.group('OpenAI plugin', (group) => {
  let fake: FakeOpenAi
  const adapter = new OpenAiAdapter()

  group.each.setup(async () => {
    fake = await FakeOpenAi.start()
    return () => fake.close()
  })

  test('register() binds the adapter in the plugin container', ({ assert }) => {
    const child = container.createChildContainer()
    plugin.register(child)
    assert.instanceOf(child.resolve(TOKENS.ai), OpenAiAdapter)
  })

  test('manifest declares an ai plugin with a secret API key and a configurable base URL', ({ assert }) => {
    assert.equal(plugin.id, 'openai')
    assert.equal(plugin.kind, 'ai')
    assert.isTrue(plugin.config.apiKey.secret)
    assert.properties(plugin.config, ['baseUrl', 'apiKey', 'model', 'transcriptionModel'])
  })

  test('tool-call round trip: the call, then the final text, with usage', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.reply({ fixture: 'openai-chat-tool-call-response.json' }, { fixture: 'openai-chat-final-response.json' })

    const first = await adapter.chat({ messages: CONVERSATION, tools: TOOLS, temperature: 0.3, maxTokens: 800 }, ctx)
    assert.deepEqual(first, {
      text: null,
      toolCalls: [{ id: 'call_Qm8kR2vX7nL4pT9wY1zA6bC3', name: 'consultar_cliente_sgp', arguments: '{"cpf_cnpj":"12345678909"}' }],
      usage: { promptTokens: 412, completionTokens: 23, totalTokens: 435 },
      finishReason: 'tool_calls',
    })

    const followUp: ChatMessage[] = [
      ...CONVERSATION,
      { role: 'assistant', content: null, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: first.toolCalls[0].id, content: '{"contratos":[{"id":"10457"}]}' },
    ]
    const final = await adapter.chat({ messages: followUp, tools: TOOLS }, ctx)
    assert.equal(final.text, fixture('openai-chat-final-response.json').choices[0].message.content)
    assert.deepEqual(final.toolCalls, [])
    assert.deepEqual(final.usage, { promptTokens: 1038, completionTokens: 71, totalTokens: 1109 })
    assert.equal(final.finishReason, 'stop')

    const [sent, sentAgain] = fake.chatRequests
    assert.equal(sent.model, 'gpt-4o-mini')
    assert.equal(sent.temperature, 0.3)
    assert.equal(sent.max_tokens, 800)
    assert.deepEqual(sent.tools[0], {
      type: 'function',
      function: { name: TOOLS[0].name, description: TOOLS[0].description, parameters: TOOLS[0].parameters },
    })
    assert.deepEqual(sentAgain.messages.slice(-2), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_Qm8kR2vX7nL4pT9wY1zA6bC3', type: 'function', function: { name: 'consultar_cliente_sgp', arguments: '{"cpf_cnpj":"12345678909"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_Qm8kR2vX7nL4pT9wY1zA6bC3', content: '{"contratos":[{"id":"10457"}]}' },
    ])
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${fake.apiKey}`)
  })

  test('parallel tool calls come back in order with JSON-text arguments', async ({ assert }) => {
    fake.replyToolCalls([
      { name: 'check_connection', arguments: { contractId: '10457' } },
      { name: 'send_open_invoices', arguments: '{"contractId":"10457"}', id: 'call_two' },
    ])
    const result = await adapter.chat({ messages: CONVERSATION, tools: TOOLS }, contextFor(fake).ctx)
    assert.deepEqual(
      result.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]),
      [
        ['check_connection', { contractId: '10457' }],
        ['send_open_invoices', { contractId: '10457' }],
      ]
    )
    assert.equal(result.toolCalls[1].id, 'call_two')
  })

  test('no tools (or an empty list) sends no tools field; the request model overrides the setting', async ({ assert }) => {
    fake.replyText('Olá!').replyText('Oi de novo')
    const { ctx } = contextFor(fake)
    assert.equal((await adapter.chat({ messages: CONVERSATION }, ctx)).text, 'Olá!')
    assert.equal((await adapter.chat({ messages: CONVERSATION, tools: [], model: 'gpt-4.1' }, ctx)).text, 'Oi de novo')
    assert.notProperty(fake.chatRequests[0], 'tools')
    assert.notProperty(fake.chatRequests[1], 'tools')
    assert.equal(fake.chatRequests[1].model, 'gpt-4.1')
  })

  test('a 429 is retried by the SDK and the next answer returned', async ({ assert }) => {
    fake.replyError(429, { retryAfterMs: 10 }).replyText('Consegui!')
    const result = await adapter.chat({ messages: CONVERSATION, tools: TOOLS }, contextFor(fake).ctx)
    assert.equal(result.text, 'Consegui!')
    assert.lengthOf(fake.chatRequests, 2)
  })

  test('429s beyond the retries are rate_limited with the wait the server asked for', async ({ assert }) => {
    fake.replyError(429, { retryAfterMs: 20, times: 3 })
    const error = await rejection(adapter.chat({ messages: CONVERSATION }, contextFor(fake, { maxRetries: 2 }).ctx))
    assert.equal(error.code, 'rate_limited')
    assert.equal(error.details.retryAfterMs, 20)
    assert.isTrue(error.retryable)
    assert.lengthOf(fake.chatRequests, 3)
  })

  test('a 429 for an exhausted quota is refused: waiting will not help', async ({ assert }) => {
    fake.replyError(429, { code: 'insufficient_quota', message: 'You exceeded your current quota', retryAfterMs: 1, times: 1 })
    const error = await rejection(adapter.chat({ messages: CONVERSATION }, contextFor(fake, { maxRetries: 0 }).ctx))
    assert.equal(error.code, 'refused')
    assert.isFalse(error.retryable)
  })

  test('500 on every attempt is unavailable after maxRetries + 1 requests', async ({ assert }) => {
    fake.replyError(500, { retryAfterMs: 5, times: 4 })
    const error = await rejection(adapter.chat({ messages: CONVERSATION }, contextFor(fake, { maxRetries: 3 }).ctx))
    assert.equal(error.code, 'unavailable')
    assert.equal(error.details.status, 500)
    assert.lengthOf(fake.chatRequests, 4)
    assert.lengthOf(fake.chatQueue, 0)
  })

  test('a wrong key is auth, not retried, and the key is in no message or log line', async ({ assert }) => {
    const wrongKey = 'sk-proj-wrongKEY0123456789abcdef'
    const { ctx, lines } = contextFor(fake, { apiKey: wrongKey })
    const error = await rejection(adapter.chat({ messages: CONVERSATION }, ctx))
    assert.equal(error.code, 'auth')
    assert.lengthOf(fake.chatRequests, 1)

    const check = await adapter.testConnection(ctx)
    assert.isFalse(check.ok)
    const everything = error.message + JSON.stringify(check) + lines.join('\n')
    assert.notInclude(everything, wrongKey)
    assert.notInclude(everything, wrongKey.slice(-4), 'not even the tail OpenAI echoes')
    assert.isAbove(lines.length, 0)
  })

  test('the right key never reaches the logs of a successful call either', async ({ assert }) => {
    fake.replyText('ok')
    const { ctx, lines } = contextFor(fake)
    await adapter.chat({ messages: CONVERSATION }, ctx)
    assert.isTrue((await adapter.testConnection(ctx)).ok)
    assert.notInclude(lines.join('\n'), fake.apiKey)
  })

  test('a slow answer is a timeout; a hung attempt is retried', async ({ assert }) => {
    fake.reply({ text: 'tarde demais', delayMs: 1_000 })
    const slow = await rejection(adapter.chat({ messages: CONVERSATION }, contextFor(fake, { timeoutSeconds: 0.2, maxRetries: 0 }).ctx))
    assert.equal(slow.code, 'timeout')

    fake.chatQueue.length = 0
    fake.reply({ hang: true }).replyText('agora sim')
    const retried = await adapter.chat({ messages: CONVERSATION }, contextFor(fake, { timeoutSeconds: 0.3, maxRetries: 1 }).ctx)
    assert.equal(retried.text, 'agora sim')
  })

  test('a request the API rejects (tool message without its call) is bad_request', async ({ assert }) => {
    fake.replyText('never sent')
    const broken: ChatMessage[] = [...CONVERSATION, { role: 'tool', toolCallId: 'call_missing', content: '{}' }]
    const error = await rejection(adapter.chat({ messages: broken }, contextFor(fake).ctx))
    assert.equal(error.code, 'bad_request')
    assert.include(error.message, "messages with role 'tool' must be a response")
    assert.lengthOf(fake.chatQueue, 1)
  })

  test('an unreachable server is unavailable', async ({ assert }) => {
    const { ctx } = contextFor(fake, { maxRetries: 0 })
    await fake.close()
    assert.equal((await rejection(adapter.chat({ messages: CONVERSATION }, ctx))).code, 'unavailable')
    fake = await FakeOpenAi.start()
  })

  test('transcribes a Telegram .oga voice note as .ogg with the transcription model', async ({ assert }) => {
    const audio = Buffer.from('OggS\u0000fake opus bytes')
    const result = await adapter.transcribe({ data: audio, mime: 'audio/ogg', fileName: 'file_42.oga' }, contextFor(fake).ctx)

    assert.equal(result.text, fixture('openai-transcription-response.json').text)
    assert.deepEqual((result as any).usage, { inputTokens: 61, outputTokens: 31, totalTokens: 92 })
    const [sent] = fake.transcriptionRequests
    assert.equal(sent.model, 'gpt-4o-mini-transcribe')
    assert.equal(sent.language, 'pt')
    assert.equal(sent.file.name, 'file_42.ogg')
    assert.isTrue(sent.file.bytes.equals(audio))
  })

  test('a WhatsApp opus note without a file name is sent as voice.ogg; failures map to errors', async ({ assert }) => {
    fake.transcribeAs({ text: '  Quero a segunda via  ' }, { error: 500, delayMs: 0 }, { error: 500 })
    const { ctx } = contextFor(fake, { maxRetries: 1 })
    const ok = await adapter.transcribe({ data: Buffer.from('opus'), mime: 'audio/ogg; codecs=opus' }, ctx)
    assert.equal(ok.text, 'Quero a segunda via')
    assert.equal(fake.transcriptionRequests[0].file.name, 'voice.ogg')

    const error = await rejection(adapter.transcribe({ data: Buffer.from('opus'), mime: 'audio/ogg' }, ctx))
    assert.equal(error.code, 'unavailable')
    assert.lengthOf(fake.transcriptionRequests, 3)
  })
})
