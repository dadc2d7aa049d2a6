import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/** The customer simulator: what its page posts becomes a customer message; answers are confirmed at once. */
test.group('simulator channel', (group) => {
  let admin: Member
  let webhook: string
  let inboxId: number

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    admin = await createMember(null, 'admin')
    return truncate
  })

  async function createInbox(client: any, member = admin) {
    const response = await client
      .post(`/api/v1/providers/${member.provider.id}/inboxes`)
      .header('authorization', member.token)
      .json({ name: 'Simulador', plugin: 'simulator', config: {} })
    response.assertStatus(201)
    inboxId = response.body().id
    webhook = new URL(response.body().webhookUrl).pathname
    return webhook
  }

  const say = (client: any, path: string, body: Record<string, unknown>) => client.post(path).json(body)

  test('a simulated customer message opens a conversation; redelivery stores it once', async ({ client, assert }) => {
    await createInbox(client)
    const body = { id: 'sim-1', sessionId: 'session-a', name: 'Cliente 1234', text: 'Oi, estou sem internet' }
    for (let i = 0; i < 3; i++) (await say(client, webhook, body)).assertStatus(200)
    const list = await client.get(`/api/v1/providers/${admin.provider.id}/conversations`).header('authorization', admin.token)
    assert.lengthOf(list.body().data, 1)
    assert.equal(list.body().data[0].contact.name, 'Cliente 1234')
    assert.equal(list.body().data[0].lastMessagePreview, 'Oi, estou sem internet')
    const identities = await db.from('contact_identities').where('provider_id', admin.provider.id)
    assert.deepEqual(identities.map((row) => [row.kind, row.value]), [['simulator', 'session-a']])
  })

  test('an agent\'s answer is confirmed as sent, and the same session keeps its conversation', async ({ client, assert }) => {
    await createInbox(client)
    ;(await say(client, webhook, { id: 'sim-1', sessionId: 'session-b', name: 'Cliente 2', text: 'Quero a fatura' })).assertStatus(200)
    const conversation = (await client.get(`/api/v1/providers/${admin.provider.id}/conversations`).header('authorization', admin.token)).body().data[0]
    const sent = await client
      .post(`/api/v1/providers/${admin.provider.id}/conversations/${conversation.id}/messages`)
      .header('authorization', admin.token)
      .json({ content: 'Claro! Qual o seu CPF?' })
    sent.assertStatus(201)
    await drainQueues()
    const outbound = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' }).firstOrFail()
    assert.equal(outbound.status, 'sent')
    assert.equal(outbound.external_id, `sim-out-${outbound.id}`)
    ;(await say(client, webhook, { id: 'sim-2', sessionId: 'session-b', name: 'Cliente 2', text: '123.456.789-09' })).assertStatus(200)
    const conversations = await db.from('conversations').where('provider_id', admin.provider.id)
    assert.lengthOf(conversations, 1)
  })

  test('malformed bodies are a 400 and store nothing', async ({ client, assert }) => {
    await createInbox(client)
    const bodies = [{}, { id: 'x', sessionId: 's' }, { id: 'x', text: 'oi' }, { id: '', sessionId: 's', text: 'oi' }, { id: 'x', sessionId: 's', text: 'a'.repeat(5000) }]
    for (const body of bodies) (await say(client, webhook, body)).assertStatus(400)
    assert.lengthOf(await db.from('messages').where('provider_id', admin.provider.id), 0)
  })

  test('each provider\'s simulator inbox feeds only that provider', async ({ client, assert }) => {
    const mine = await createInbox(client)
    const other = await createMember(null, 'admin')
    const theirs = await createInbox(client, other)
    ;(await say(client, mine, { id: 'same-id', sessionId: 'shared-session', text: 'meu' })).assertStatus(200)
    ;(await say(client, theirs, { id: 'same-id', sessionId: 'shared-session', text: 'deles' })).assertStatus(200)
    const [a] = await db.from('messages').where('provider_id', admin.provider.id)
    const [b] = await db.from('messages').where('provider_id', other.provider.id)
    assert.equal(a.content, 'meu')
    assert.equal(b.content, 'deles')
    assert.notEqual(a.contact_id ?? a.conversation_id, b.contact_id ?? b.conversation_id)
    void inboxId
  })
})
