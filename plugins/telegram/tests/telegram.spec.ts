import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeTelegram } from '#tests/helpers/fakes/telegram_server'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'
import { oggVoiceNote } from '#tests/helpers/media'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

const MARIA = 6123456789

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
    assert1(list.body().data.length === 1, `expected one conversation, got ${list.body().data.length}`)
    const conversation = list.body().data[0]
    const messages = await client.get(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token)
    return { conversation, messages: messages.body().data.slice().reverse() as any[] }
  }

  test('creating the inbox registers the webhook with a random secret that is never shown; getMe tests it', async ({ client, assert }) => {
    const created = await createInbox(client)
    assert.equal(telegram.webhook?.url, created.body().webhookUrl)
    assert.match(telegram.webhook!.secretToken, /^[A-Za-z0-9_-]{32,256}$/)
    const shown = await client.get(`${base}/inboxes/${inboxId}`).header('authorization', admin.token)
    assert.notInclude(JSON.stringify(shown.body()), telegram.webhook!.secretToken)
    assert.notInclude(JSON.stringify(shown.body()), telegram.token)

    const test1 = await client.post(`${base}/inboxes/${inboxId}/test`).header('authorization', admin.token)
    assert.isTrue(test1.body().ok)
    assert.include(test1.body().detail, '@provedorfibra_bot')

    // Re-saving the config registers again with a new secret: the old one stops working.
    const old = telegram.webhook!.secretToken
    ;(await client.patch(`${base}/inboxes/${inboxId}`).header('authorization', admin.token).json({ config: telegram.config({ timeoutSeconds: 10 }) })).assertStatus(200)
    assert.notEqual(telegram.webhook!.secretToken, old)
    ;(await deliver(client, telegram.text(), old)).assertStatus(401)
    ;(await deliver(client, telegram.text())).assertStatus(200)
  })

  test('a wrong bot token is refused by the config check and by test connection', async ({ client, assert }) => {
    const bad = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'TG', plugin: 'telegram', config: { token: 'not-a-token' } })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'config.token')
    const other = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'TG', plugin: 'telegram', config: telegram.config({ token: '7012345678:AAWrongTokenButWellFormed_zzzzzzzzz' }) })
    other.assertStatus(201)
    const result = await client.post(`${base}/inboxes/${other.body().id}/test`).header('authorization', admin.token)
    assert.isFalse(result.body().ok)
    assert.match(result.body().detail, /token/)
  })

  test('text, photo, voice, document, location, contact and a reply arrive; media is downloaded', async ({ client, assert }) => {
    await createInbox(client)
    telegram.files.set('DOC-1', { path: 'documents/file_9.pdf', bytes: Buffer.from('%PDF-1.4 fake') })
    const voiceId = telegram.voice().message.voice.file_id
    telegram.files.set(voiceId, { path: 'voice/file_42.oga', bytes: oggVoiceNote() })
    ;(await deliver(client, telegram.text({ messageId: 1847 }))).assertStatus(200)
    ;(await deliver(client, telegram.photo())).assertStatus(200)
    ;(await deliver(client, telegram.voice())).assertStatus(200)
    ;(await deliver(client, telegram.withContent({ document: { file_id: 'DOC-1', file_unique_id: 'd1', file_name: 'contrato.pdf', mime_type: 'application/pdf', file_size: 20 } }, { messageId: 1850 }))).assertStatus(200)
    ;(await deliver(client, telegram.withContent({ location: { latitude: -23.55, longitude: -46.63 } }, { messageId: 1851 }))).assertStatus(200)
    ;(await deliver(client, telegram.withContent({ contact: { phone_number: '+5511999990001', first_name: 'João' } }, { messageId: 1852 }))).assertStatus(200)
    ;(await deliver(client, telegram.withContent({ text: 'É sobre a fatura acima', reply_to_message: { message_id: 1847, chat: { id: MARIA, type: 'private' }, date: 1, text: 'x' } }, { messageId: 1853 }))).assertStatus(200)
    await drainQueues(30_000)

    const { conversation, messages } = await onlyConversation(client)
    assert.equal(conversation.contact.name, 'Maria Souza')
    assert.deepEqual(messages.map((m) => m.type), ['text', 'image', 'voice', 'document', 'location', 'contact', 'text'])
    assert.equal(messages[1].content, 'Foto do modem, a luz LOS está piscando vermelho')
    const photo = messages[1].attachments[0]
    assert.equal(photo.status, 'ready')
    const bytes = await fetch(`http://${process.env.HOST}:${process.env.PORT}${photo.url}`, { headers: { authorization: admin.token } })
    assert.isTrue(Buffer.from(await bytes.arrayBuffer()).equals(TINY_PNG))
    const voice = await db.from('attachments').where({ provider_id: admin.provider.id, kind: 'voice' }).firstOrFail()
    assert.equal(voice.status, 'ready')
    assert.match(voice.file_name, /\.ogg$/)
    assert.equal(messages[3].attachments[0].status, 'ready')
    assert.equal(messages[6].quotedMessageId, messages[0].id)
    const identities = await db.from('contact_identities').where('provider_id', admin.provider.id)
    assert.deepEqual(identities.map((row) => [row.kind, row.value]), [['telegram', String(MARIA)]])
  })

  test('an edit updates the stored text; a redelivered update is stored once; malformed ones are acknowledged', async ({ client, assert }) => {
    await createInbox(client)
    const update = telegram.text({ messageId: 2001, text: 'Minha internet caiu' })
    for (let i = 0; i < 3; i++) (await deliver(client, update)).assertStatus(200)
    ;(await deliver(client, telegram.edited(2001, 'Minha internet caiu desde ontem'))).assertStatus(200)
    ;(await deliver(client, { update_id: 99, message: { message_id: 3, text: 'sem chat' } })).assertStatus(200)
    const { messages } = await onlyConversation(client)
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].content, 'Minha internet caiu desde ontem')
  })

  test('an agent\'s answers reach Telegram: text, a reply, a long text split at 4096, a photo; a 429 waits retry_after', async ({ client, assert }) => {
    await createInbox(client)
    ;(await deliver(client, telegram.text({ messageId: 1847 }))).assertStatus(200)
    const { conversation, messages } = await onlyConversation(client)
    const send = (body: Record<string, unknown>) => client.post(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token).json(body)

    telegram.failNext('sendMessage', 429, 1)
    ;(await send({ content: 'Olá Maria! Vou verificar.', replyTo: messages[0].id })).assertStatus(201)
    const paragraph = 'Linha de texto do atendimento. '.repeat(60)
    ;(await send({ content: `${paragraph}\n\n${paragraph}\n\n${paragraph}` })).assertStatus(201)
    const upload = await client.post(`${base}/uploads`).header('authorization', admin.token).file('file', TINY_PNG, { filename: 'comprovante.png', contentType: 'image/png' })
    upload.assertStatus(201)
    ;(await send({ content: 'Segue o comprovante', attachments: [upload.body().id] })).assertStatus(201)
    await drainQueues(30_000)

    const texts = telegram.calls.filter((c) => c.method === 'sendMessage')
    assert.equal(texts[0].body.text, 'Olá Maria! Vou verificar.') // refused once with 429…
    assert.equal(texts[1].body.text, 'Olá Maria! Vou verificar.') // …and sent after retry_after
    assert.equal(texts[1].body.chat_id, String(MARIA))
    assert.equal(texts[1].body.reply_parameters.message_id, 1847)
    const long = texts.slice(2)
    assert.isAtLeast(long.length, 2)
    assert.isTrue(long.every((c) => c.body.text.length <= 4096))
    const photo = telegram.calls.find((c) => c.method === 'sendPhoto')!
    assert.equal(photo.body.caption, 'Segue o comprovante')
    assert.isTrue(photo.files.photo.bytes.equals(TINY_PNG))
    const outbound = await db.from('messages').where({ conversation_id: conversation.id, direction: 'out' })
    assert.isTrue(outbound.every((m) => m.status === 'sent' && /^\d+:\d+$/.test(m.external_id)))
  })

  test('the AI answers a Telegram customer, and the CSAT survey goes out on Telegram and is answered', async ({ client, assert }) => {
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
      await drainQueues(30_000)
      assert.equal(telegram.sends().at(-1)?.body.text, 'Olá, Maria! Sou a Ana. Como posso ajudar?')

      const { conversation } = await onlyConversation(client)
      ;(await client.post(`${base}/conversations/${conversation.id}/resolve`).header('authorization', admin.token).json({})).assertStatus(200)
      await drainQueues(30_000)
      const survey = await db.from('csat_surveys').where('conversation_id', conversation.id).firstOrFail()
      assert.equal(survey.status, 'sent')
      assert.isTrue(telegram.sends().length >= 2)
      ;(await deliver(client, telegram.text({ messageId: 3002, text: '5' }))).assertStatus(200)
      await drainQueues(30_000)
      const answered = await db.from('csat_surveys').where('id', survey.id).firstOrFail()
      assert.equal(answered.rating, 5)
      assert.lengthOf(await db.from('conversations').where('provider_id', admin.provider.id), 1)
    } finally {
      await ai.close()
    }
  })

  test('an update for one provider\'s bot never lands in another provider', async ({ client, assert }) => {
    await createInbox(client)
    const mine = webhook
    const other = await createMember(null, 'admin')
    const theirs = await client.post(`/api/v1/providers/${other.provider.id}/inboxes`).header('authorization', other.token).json({ name: 'TG', plugin: 'telegram', config: telegram.config() })
    const theirSecret = telegram.webhook!.secretToken
    // Their secret does not open my inbox.
    ;(await client.post(mine).header('x-telegram-bot-api-secret-token', theirSecret).json(telegram.text())).assertStatus(401)
    ;(await client.post(new URL(theirs.body().webhookUrl).pathname).header('x-telegram-bot-api-secret-token', theirSecret).json(telegram.text())).assertStatus(200)
    assert.lengthOf(await db.from('messages').where('provider_id', admin.provider.id), 0)
    assert.lengthOf(await db.from('messages').where('provider_id', other.provider.id), 1)
  })
})

function assert1(condition: boolean, message: string) {
  if (!condition) throw new Error(message)
}
