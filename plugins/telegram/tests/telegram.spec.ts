import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { FakeTelegram } from '#tests/helpers/fakes/telegram_server'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'
import { oggVoiceNote } from '#tests/helpers/media'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/** The customer of the recorded fixtures (telegram-update-*.json). */
const MARIA = 6123456789

/** What a browser's voice recorder uploads: opus in a WebM container. */
function webmRecording() {
  const file = join(mkdtempSync(join(tmpdir(), 'niochat-test-')), 'recording.webm')
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'libopus', file])
  return readFileSync(file)
}

/** Polls until the probe gives a value (the queues run in the background); fails after a while. */
async function waitFor<T>(probe: () => Promise<T | undefined>, tries = 20): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('condition not met in time')
}

/**
 * Runs the queues until this provider has no outbound message waiting to be sent and no media
 * waiting to be downloaded or converted (a job's follow-ups may reach the queue just after a drain).
 */
async function settle(providerId: number) {
  await waitFor(async () => {
    await drainQueues(60_000)
    const sending = await db.from('messages').where({ provider_id: providerId, direction: 'out' }).whereIn('status', ['queued', 'sending']).first()
    const media = await db.from('attachments').where({ provider_id: providerId, status: 'pending' }).first()
    return sending || media ? undefined : true
  })
}

async function countsOf(providerId: number) {
  const count = async (table: string) => Number((await db.from(table).where('provider_id', providerId).count('* as n'))[0].n)
  return { messages: await count('messages'), conversations: await count('conversations'), contacts: await count('contacts') }
}

test.group('Telegram channel', (group) => {
  let telegram: FakeTelegram
  let admin: Member
  let base: string
  let inboxId: number
  let webhook: string

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    telegram = await new FakeTelegram().start()
    admin = await createMember(null, 'admin')
    base = `/api/v1/providers/${admin.provider.id}`
    return async () => {
      await telegram.close()
      await truncate()
    }
  })

  async function createInbox(client: ApiClient) {
    const response = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'Telegram', plugin: 'telegram', config: telegram.config() })
    response.assertStatus(201)
    inboxId = response.body().id
    webhook = new URL(response.body().webhookUrl).pathname
    return response
  }

  const deliver = (client: ApiClient, update: unknown, secret = telegram.webhook?.secretToken ?? '') =>
    client.post(webhook).header('x-telegram-bot-api-secret-token', secret).json(update as any)

  async function onlyConversation(client: ApiClient) {
    const list = await client.get(`${base}/conversations`).header('authorization', admin.token)
    if (list.body().data.length !== 1) throw new Error(`expected one conversation, got ${list.body().data.length}`)
    const conversation = list.body().data[0]
    const messages = await client.get(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token)
    return { conversation, messages: messages.body().data.slice().reverse() as any[] }
  }

  test('creating the inbox registers the webhook with a random secret that is never shown; getMe tests it', async ({ client, assert }) => {
    const created = await createInbox(client)
    assert.deepEqual(created.body().webhook, { registered: true })
    const registration = telegram.calls.find((c) => c.method === 'setWebhook')!
    assert.equal(registration.body.url, created.body().webhookUrl)
    assert.includeMembers(registration.body.allowed_updates, ['message', 'edited_message'])
    assert.match(telegram.webhook!.secretToken, /^[A-Za-z0-9_-]{32,256}$/)
    const shown = await client.get(`${base}/inboxes/${inboxId}`).header('authorization', admin.token)
    assert.notInclude(JSON.stringify(shown.body()), telegram.webhook!.secretToken)
    assert.notInclude(JSON.stringify(shown.body()), telegram.token)
    assert.notInclude(JSON.stringify(created.body()), telegram.token)

    const tested = await client.post(`${base}/inboxes/${inboxId}/test`).header('authorization', admin.token)
    assert.isTrue(tested.body().ok)
    assert.include(tested.body().detail, '@provedorfibra_bot')
    assert.equal(telegram.calls.at(-1)?.method, 'getMe')

    // Re-saving the config registers again with a new secret: the old one stops working.
    const old = telegram.webhook!.secretToken
    ;(await client.patch(`${base}/inboxes/${inboxId}`).header('authorization', admin.token).json({ config: telegram.config({ timeoutSeconds: 10 }) })).assertStatus(200)
    assert.notEqual(telegram.webhook!.secretToken, old)
    ;(await deliver(client, telegram.text(), old)).assertStatus(401)
    ;(await deliver(client, telegram.text())).assertStatus(200)
  })

  test('bad config is refused with the field and stores nothing; a wrong bot token is reported by registration and test', async ({ client, assert }) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ botToken: 'not-a-token' }, 'config.botToken'],
      [{ apiBaseUrl: telegram.baseUrl }, 'config.botToken'],
      [telegram.config({ apiBaseUrl: 'not a url' }), 'config.apiBaseUrl'],
      [telegram.config({ timeoutSeconds: 0 }), 'config.timeoutSeconds'],
    ]
    for (const [config, field] of cases) {
      const bad = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'TG', plugin: 'telegram', config })
      bad.assertStatus(422)
      assert.equal(bad.body().errors[0].field, field)
    }
    assert.lengthOf(await db.from('inboxes').where('provider_id', admin.provider.id), 0)
    assert.lengthOf(telegram.calls, 0)

    const other = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'TG', plugin: 'telegram', config: telegram.config({ botToken: '7012345678:AAWrongTokenButWellFormed_zzzzzzzzz' }) })
    other.assertStatus(201)
    assert.isFalse(other.body().webhook.registered)
    assert.match(other.body().webhook.detail, /token/)
    assert.notInclude(JSON.stringify(other.body()), 'AAWrongTokenButWellFormed')
    const result = await client.post(`${base}/inboxes/${other.body().id}/test`).header('authorization', admin.token)
    assert.isFalse(result.body().ok)
    assert.match(result.body().detail, /token/)
  })

  test('a call with a wrong or missing secret token is refused with 401 and stores nothing', async ({ client, assert }) => {
    await createInbox(client)
    const update = telegram.text({ messageId: 1900, text: 'não devia entrar' })
    ;(await deliver(client, update, 'a-wrong-secret-token-of-the-right-shape-xyz')).assertStatus(401)
    ;(await deliver(client, update, telegram.webhook!.secretToken.slice(0, -1))).assertStatus(401)
    ;(await client.post(webhook).json(update)).assertStatus(401)
    assert.deepEqual(await countsOf(admin.provider.id), { messages: 0, conversations: 0, contacts: 0 })
    // The same update with the right secret is stored: it was only the secret that was refused.
    ;(await deliver(client, update)).assertStatus(200)
    assert.deepEqual(await countsOf(admin.provider.id), { messages: 1, conversations: 1, contacts: 1 })
  })

  test('text, photo, voice, audio, video, document, location, contact and a reply arrive; media is downloaded', async ({ client, assert }) => {
    await createInbox(client)
    telegram.files.set('DOC-1', { path: 'documents/file_9.pdf', bytes: Buffer.from('%PDF-1.4 fake') })
    telegram.files.set('AUDIO-1', { path: 'music/file_3.mp3', bytes: Buffer.from('ID3-fake-song') })
    telegram.files.set('VIDEO-1', { path: 'videos/file_4.mp4', bytes: Buffer.from('fake-mp4-bytes') })
    const voiceId = telegram.voice().message.voice.file_id
    telegram.files.set(voiceId, { path: 'voice/file_42.oga', bytes: oggVoiceNote() })
    const updates = [
      telegram.text({ messageId: 1847 }),
      telegram.photo(),
      telegram.voice(),
      telegram.withContent({ audio: { file_id: 'AUDIO-1', file_unique_id: 'a1', duration: 120, mime_type: 'audio/mpeg', file_name: 'aviso.mp3' } }, { messageId: 1860 }),
      telegram.withContent({ video: { file_id: 'VIDEO-1', file_unique_id: 'v1', duration: 8, width: 640, height: 360, mime_type: 'video/mp4' }, caption: 'Vídeo do roteador' }, { messageId: 1861 }),
      telegram.withContent({ document: { file_id: 'DOC-1', file_unique_id: 'd1', file_name: 'contrato.pdf', mime_type: 'application/pdf', file_size: 20 } }, { messageId: 1850 }),
      telegram.withContent({ location: { latitude: -23.55, longitude: -46.63 } }, { messageId: 1851 }),
      telegram.withContent({ contact: { phone_number: '+5511999990001', first_name: 'João' } }, { messageId: 1852 }),
      telegram.withContent({ text: 'É sobre a fatura acima', reply_to_message: { message_id: 1847, chat: { id: MARIA, type: 'private' }, date: 1, text: 'x' } }, { messageId: 1853 }),
    ]
    const contactsBefore = updates.length
    for (const update of updates) (await deliver(client, update)).assertStatus(200)
    await settle(admin.provider.id)

    const { conversation, messages } = await onlyConversation(client)
    assert.equal(conversation.contact.name, 'Maria Souza')
    assert.deepEqual(messages.map((m) => m.type), ['text', 'image', 'voice', 'audio', 'video', 'document', 'location', 'contact', 'text'])
    assert.equal(messages[1].content, 'Foto do modem, a luz LOS está piscando vermelho')
    assert.equal(messages[4].content, 'Vídeo do roteador')
    for (const index of [1, 2, 3, 4, 5]) assert.equal(messages[index].attachments[0].status, 'ready', `attachment of ${messages[index].type}`)
    const photo = messages[1].attachments[0]
    const bytes = await fetch(`http://${process.env.HOST}:${process.env.PORT}${photo.url}`, { headers: { authorization: admin.token } })
    assert.isTrue(Buffer.from(await bytes.arrayBuffer()).equals(TINY_PNG))
    const stored = await db.from('attachments').where('provider_id', admin.provider.id).orderBy('id')
    const byKind = Object.fromEntries(stored.map((row) => [row.kind, row]))
    assert.match(byKind.voice.file_name, /\.ogg$/)
    assert.equal(byKind.audio.file_name, 'aviso.mp3')
    assert.equal(byKind.document.file_name, 'contrato.pdf')
    assert.equal(byKind.document.mime, 'application/pdf')
    assert.equal(telegram.calls.filter((c) => c.method === 'getFile').length, 5)
    assert.deepInclude(JSON.stringify(messages[6]), '-23.55')
    assert.include(JSON.stringify(messages[7]), '+5511999990001')
    assert.equal(messages[8].quotedMessageId, messages[0].id)
    const identities = await db.from('contact_identities').where('provider_id', admin.provider.id)
    assert.deepEqual(identities.map((row) => [row.kind, row.value]), [['telegram', String(MARIA)]])
    // Someone else's contact card says nothing about the customer's phone; their own does.
    assert.isNull((await db.from('contacts').where('provider_id', admin.provider.id).firstOrFail()).phone)
    ;(await deliver(client, telegram.withContent({ contact: { phone_number: '+55 11 98765-4321', first_name: 'Maria', user_id: MARIA } }, { messageId: 1854 }))).assertStatus(200)
    const contact = await db.from('contacts').where('provider_id', admin.provider.id).firstOrFail()
    assert.equal(contact.phone, '5511987654321')
    assert.equal((await countsOf(admin.provider.id)).messages, contactsBefore + 1)
  })

  test('a group message is stored in the group\'s conversation with its author, and an answer goes to the group', async ({ client, assert }) => {
    await createInbox(client)
    const GROUP = -1001234567890
    const update = telegram.text({ messageId: 77, text: 'Alguém mais sem internet no bairro?' })
    update.message.chat = { id: GROUP, type: 'supergroup', title: 'Condomínio Fibra' }
    ;(await deliver(client, update)).assertStatus(200)
    const { conversation, messages } = await onlyConversation(client)
    assert.equal(conversation.contact.name, 'Condomínio Fibra')
    assert.include(JSON.stringify(messages[0]), 'Maria Souza')
    const identities = await db.from('contact_identities').where('provider_id', admin.provider.id)
    assert.deepEqual(identities.map((row) => [row.kind, row.value]), [['telegram', String(GROUP)]])

    ;(await client.post(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token).json({ content: 'Estamos verificando a região.' })).assertStatus(201)
    await settle(admin.provider.id)
    const sent = telegram.sends()
    assert.lengthOf(sent, 1)
    assert.equal(sent[0].body.chat_id, String(GROUP))
  })

  test('deleting the inbox removes its webhook from the bot, unless the bot already serves a newer inbox', async ({ client, assert }) => {
    await createInbox(client)
    const first = inboxId
    ;(await client.delete(`${base}/inboxes/${first}`).header('authorization', admin.token)).assertStatus(204)
    assert.equal(telegram.calls.at(-1)?.method, 'deleteWebhook')
    assert.isNull(telegram.webhook)

    await createInbox(client)
    const old = inboxId
    const newer = await createInbox(client)
    ;(await client.delete(`${base}/inboxes/${old}`).header('authorization', admin.token)).assertStatus(204)
    assert.equal(telegram.calls.filter((c) => c.method === 'deleteWebhook').length, 1)
    assert.equal(telegram.webhook?.url, newer.body().webhookUrl)
    ;(await deliver(client, telegram.text())).assertStatus(200)
  })

  test('an edit updates the stored text; a redelivered update is stored once; malformed ones are answered 200 and logged', async ({ client, assert, cleanup }) => {
    const logFile = app.makePath(env.get('LOG_FILE')!)
    await mkdir(dirname(logFile), { recursive: true })
    await writeFile(logFile, '')
    // Tests log errors only by default; this test reads the warnings.
    const previousLevel = logger.level
    logger.level = 'warn'
    cleanup(() => void (logger.level = previousLevel))
    await createInbox(client)
    const update = telegram.text({ messageId: 2001, text: 'Minha internet caiu' })
    for (let i = 0; i < 3; i++) (await deliver(client, update)).assertStatus(200)
    const edit = telegram.edited(2001, 'Minha internet caiu desde ontem')
    ;(await deliver(client, edit)).assertStatus(200)
    ;(await deliver(client, edit)).assertStatus(200)
    // Telegram retries every non-2xx, so what we cannot read is acknowledged, not refused.
    const malformed = await deliver(client, { update_id: 99, message: { message_id: 3, text: 'sem chat' } })
    malformed.assertStatus(200)
    ;(await deliver(client, { message: { message_id: 4 } })).assertStatus(200)

    const { messages } = await onlyConversation(client)
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].content, 'Minha internet caiu desde ontem')
    assert.equal((await countsOf(admin.provider.id)).messages, 1)

    let lines: Record<string, any>[] = []
    for (let tries = 0; tries < 50 && lines.length < 2; tries++) {
      const text = await readFile(logFile, 'utf8').catch(() => '')
      lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((line) => line.msg === 'webhook: malformed body refused' && line.inbox_id === inboxId)
      if (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.lengthOf(lines, 2)
    assert.equal(lines[0].plugin, 'telegram')
    assert.match(lines[0].reason, /chat/)
    assert.notInclude(await readFile(logFile, 'utf8'), telegram.token)
  })

  test('an agent\'s answers reach Telegram: a reply, long texts split at paragraphs and spaces, photo, long caption, document, voice; a 429 waits retry_after', async ({ client, assert }) => {
    await createInbox(client)
    ;(await deliver(client, telegram.text({ messageId: 1847 }))).assertStatus(200)
    const { conversation, messages } = await onlyConversation(client)
    const send = (body: Record<string, unknown>) => client.post(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token).json(body)
    const upload = async (bytes: Buffer, filename: string, voice = false) => {
      let request = client.post(`${base}/uploads`).header('authorization', admin.token).file('file', bytes, { filename })
      if (voice) request = request.field('voice', 'true')
      const response = await request
      response.assertStatus(201)
      return response.body().id as number
    }

    // Longer than the default exponential back-off (2 s): an early retry would be refused by the fake.
    telegram.failNext('sendMessage', 429, 3)
    ;(await send({ content: 'Olá Maria! Vou verificar.', replyTo: messages[0].id })).assertStatus(201)
    const paragraphs = ['A', 'B', 'C'].map((letter) => `Parágrafo ${letter}: ` + 'linha de texto do atendimento. '.repeat(58).trim())
    ;(await send({ content: paragraphs.join('\n\n') })).assertStatus(201)
    const words = Array.from({ length: 1100 }, (_, i) => `palavra${i}`).join(' ')
    ;(await send({ content: words })).assertStatus(201)
    ;(await send({ content: 'Segue o comprovante', attachments: [await upload(TINY_PNG, 'comprovante.png')] })).assertStatus(201)
    const longCaption = 'Detalhes do comprovante. '.repeat(60).trim()
    ;(await send({ content: longCaption, attachments: [await upload(TINY_PNG, 'segundo.png')] })).assertStatus(201)
    ;(await send({ content: 'O contrato', attachments: [await upload(Buffer.from('%PDF-1.4\n%fake contract\n'), 'contrato.pdf')] })).assertStatus(201)
    ;(await send({ attachments: [await upload(webmRecording(), 'gravacao.webm', true)] })).assertStatus(201)
    await settle(admin.provider.id)

    assert.deepEqual(telegram.calls.filter((c) => c.premature), [])
    const texts = telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => c.body)
    assert.equal(texts[0].text, 'Olá Maria! Vou verificar.') // refused once with 429…
    assert.equal(texts[1].text, 'Olá Maria! Vou verificar.') // …and sent once retry_after had passed
    assert.equal(texts[1].chat_id, String(MARIA))
    assert.equal(texts[1].reply_parameters.message_id, 1847)
    // Three 1,800-character paragraphs: two fit in one message, the third goes alone; none is cut.
    assert.deepEqual([texts[2].text, texts[3].text], [`${paragraphs[0]}\n\n${paragraphs[1]}`, paragraphs[2]])
    // One paragraph of words: cut between words, nothing lost, each part within the limit.
    const wordParts = texts.slice(4, -1).map((body) => body.text as string)
    assert.isAtLeast(wordParts.length, 2)
    assert.isTrue(wordParts.every((part) => part.length <= 4096))
    assert.equal(wordParts.join(' '), words)
    assert.isTrue(texts.every((body) => body.reply_parameters === undefined || body.text === 'Olá Maria! Vou verificar.'))

    const photos = telegram.calls.filter((c) => c.method === 'sendPhoto')
    assert.equal(photos[0].body.caption, 'Segue o comprovante')
    assert.isTrue(photos[0].files.photo.bytes.equals(TINY_PNG))
    // A caption over Telegram's 1,024 characters: the photo without it, then the whole text.
    assert.isUndefined(photos[1].body.caption)
    assert.equal(texts.at(-1)!.text, longCaption)
    const document = telegram.calls.find((c) => c.method === 'sendDocument')!
    assert.equal(document.body.caption, 'O contrato')
    assert.equal(document.files.document.name, 'contrato.pdf')
    assert.equal(document.files.document.type, 'application/pdf')
    const voice = telegram.calls.find((c) => c.method === 'sendVoice')!
    assert.equal(voice.files.voice.type, 'audio/ogg')
    assert.match(voice.files.voice.name, /\.ogg$/)
    assert.equal(voice.files.voice.bytes.subarray(0, 4).toString(), 'OggS')
    assert.include(voice.files.voice.bytes.toString('latin1', 0, 200), 'OpusHead')

    const outbound = await db.from('messages').where({ conversation_id: conversation.id, direction: 'out' })
    assert.lengthOf(outbound, telegram.sends().length - 1) // every message sent once, plus the refused try
    assert.isTrue(outbound.every((m) => m.status === 'sent' && /^\d+:\d+$/.test(m.external_id)))
  })

  test('a customer who blocked the bot: the send fails once with the reason, visible to the agent', async ({ client, assert }) => {
    await createInbox(client)
    ;(await deliver(client, telegram.text({ messageId: 1847 }))).assertStatus(200)
    const { conversation } = await onlyConversation(client)
    telegram.failNext('sendMessage', 403)
    const sent = await client.post(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token).json({ content: 'Olá?' })
    sent.assertStatus(201)
    await settle(admin.provider.id)
    assert.lengthOf(telegram.sends(), 1)
    const { messages } = await onlyConversation(client)
    const failed = messages.find((m) => m.id === sent.body().id)
    assert.equal(failed.status, 'failed')
    assert.match(failed.error, /blocked/)
  })

  test('the AI answers a Telegram customer (a text, then a voice note it transcribes), and the CSAT survey goes out on Telegram and is answered with 🤩', async ({ client, assert }) => {
    const ai = await FakeOpenAi.start()
    try {
      ;(await client.put(`${base}/settings/ai`).header('authorization', admin.token).json({
        enabled: true,
        plugin: 'openai',
        config: { baseUrl: ai.baseUrl, apiKey: ai.apiKey, model: 'gpt-4o-mini', maxRetries: 0 },
        persona: { agentName: 'Ana' },
        debounceSeconds: 0.2,
      })).assertStatus(200)
      ;(await client.put(`${base}/settings/csat`).header('authorization', admin.token).json({ enabled: true, delaySeconds: 0, followUpEnabled: false })).assertStatus(200)
      await createInbox(client)
      ai.replyText('Olá, Maria! Sou a Ana. Como posso ajudar?')
      ;(await deliver(client, telegram.text({ messageId: 3001, text: 'Oi, boa tarde' }))).assertStatus(200)
      await waitFor(async () => {
        await settle(admin.provider.id)
        return telegram.sends().length ? true : undefined
      })

      assert.include(JSON.stringify(ai.lastMessages), 'Oi, boa tarde')
      assert.notInclude(JSON.stringify(ai.chatRequests), telegram.token)
      const answer = telegram.sends().at(-1)!
      assert.equal(answer.method, 'sendMessage')
      assert.equal(answer.body.text, 'Olá, Maria! Sou a Ana. Como posso ajudar?')
      assert.equal(answer.body.chat_id, String(MARIA))
      // A voice note (Telegram's .oga) is transcribed and answered like a WhatsApp one.
      const voice = telegram.voice({ messageId: 3010 })
      telegram.files.set(voice.message.voice.file_id, { path: 'voice/file_42.oga', bytes: oggVoiceNote() })
      ai.transcribeAs({ text: 'Quero a segunda via da minha fatura' })
      ai.replyText('Claro! Me informe seu CPF, por favor.')
      ;(await deliver(client, voice)).assertStatus(200)
      await waitFor(async () => {
        await settle(admin.provider.id)
        return telegram.sends().length === 2 ? true : undefined
      })
      assert.equal(ai.transcriptionRequests[0].file.name.split('.').pop(), 'ogg')
      assert.include(JSON.stringify(ai.lastMessages), 'Quero a segunda via da minha fatura')
      assert.equal(telegram.sends()[1].body.text, 'Claro! Me informe seu CPF, por favor.')

      const { conversation, messages } = await onlyConversation(client)
      assert.equal(conversation.status, 'bot')
      assert.equal(messages.at(-1).senderKind, 'ai')
      const stored = await db.from('messages').where({ provider_id: admin.provider.id, id: messages.find((m) => m.type === 'voice').id }).firstOrFail()
      assert.equal(stored.metadata.transcript, 'Quero a segunda via da minha fatura')

      ;(await client.post(`${base}/conversations/${conversation.id}/resolve`).header('authorization', admin.token).json({})).assertStatus(200)
      const question = await waitFor(async () => {
        await settle(admin.provider.id)
        return telegram.sends().find((c) => String(c.body.text).includes('🤩'))
      })
      const survey = await db.from('csat_surveys').where('conversation_id', conversation.id).firstOrFail()
      assert.equal(survey.status, 'sent')
      assert.equal(question.method, 'sendMessage')
      assert.equal(question.body.chat_id, String(MARIA))
      assert.include(question.body.text, '🤩')

      ;(await deliver(client, telegram.text({ messageId: 3002, text: '🤩' }))).assertStatus(200)
      await settle(admin.provider.id)
      const answered = await db.from('csat_surveys').where('id', survey.id).firstOrFail()
      assert.equal(answered.rating, 5)
      // The answer closed the survey; it opened no new conversation and the AI did not answer it.
      assert.lengthOf(await db.from('conversations').where('provider_id', admin.provider.id), 1)
      assert.lengthOf(ai.chatRequests, 2)
      const csat = await client.get(`${base}/csat`).header('authorization', admin.token)
      csat.assertStatus(200)
      assert.include(JSON.stringify(csat.body()), '"rating":5')
    } finally {
      await ai.close()
    }
  })

  test('an update for one provider\'s bot never lands in another provider; their members cannot reach this inbox', async ({ client, assert }) => {
    await createInbox(client)
    const mine = webhook
    const mySecret = telegram.webhook!.secretToken
    const other = await createMember(null, 'admin')
    const theirs = await client.post(`/api/v1/providers/${other.provider.id}/inboxes`).header('authorization', other.token).json({ name: 'TG', plugin: 'telegram', config: telegram.config() })
    theirs.assertStatus(201)
    const theirSecret = telegram.webhook!.secretToken
    const theirUrl = new URL(theirs.body().webhookUrl).pathname
    // Neither secret opens the other inbox.
    ;(await client.post(mine).header('x-telegram-bot-api-secret-token', theirSecret).json(telegram.text())).assertStatus(401)
    ;(await client.post(theirUrl).header('x-telegram-bot-api-secret-token', mySecret).json(telegram.text())).assertStatus(401)
    ;(await client.post(theirUrl).header('x-telegram-bot-api-secret-token', theirSecret).json(telegram.text())).assertStatus(200)
    assert.lengthOf(await db.from('messages').where('provider_id', admin.provider.id), 0)
    assert.lengthOf(await db.from('messages').where('provider_id', other.provider.id), 1)

    const calls = telegram.calls.length
    ;(await client.get(`${base}/inboxes/${inboxId}`).header('authorization', other.token)).assertStatus(404)
    ;(await client.post(`${base}/inboxes/${inboxId}/test`).header('authorization', other.token)).assertStatus(404)
    ;(await client.patch(`/api/v1/providers/${other.provider.id}/inboxes/${inboxId}`).header('authorization', other.token).json({ config: telegram.config() })).assertStatus(404)
    assert.lengthOf(telegram.calls, calls)
  })
})
