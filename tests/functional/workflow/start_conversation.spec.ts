import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { createContact, url } from './helpers.js'

/** `POST …/conversations`: an agent writes first. */
test.group('Starting a conversation', (group) => {
  let evolution: FakeEvolution
  let admin: Member
  let agent: Member
  let inboxId: number

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = new FakeEvolution()
    await evolution.start()
    admin = await createMember(null, 'admin')
    agent = await createMember(admin.provider, 'agent')
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  async function inbox(client: any, plugin = 'evolution', config: Record<string, unknown> = evolution.config()) {
    const response = await client.post(url(admin.provider.id, '/inboxes')).header('authorization', admin.token).json({ name: 'WhatsApp', plugin, config })
    response.assertStatus(201)
    inboxId = response.body().id
    return response.body()
  }

  const start = (client: any, member: Member, body: Record<string, unknown>) =>
    client.post(url(member.provider.id, '/conversations')).header('authorization', member.token).json(body)

  test('to a phone number: a new contact, an open conversation assigned to the agent, the message sent', async ({ client, assert }) => {
    await inbox(client)
    const response = await start(client, agent, { inboxId, phone: '+55 (11) 98888-7777', content: 'Olá! Sua visita técnica está confirmada.' })
    response.assertStatus(201)
    assert.equal(response.body().status, 'open')
    assert.equal(response.body().assigneeId, agent.user.id)
    assert.equal(response.body().message.content, 'Olá! Sua visita técnica está confirmada.')
    await drainQueues()
    const sent = evolution.sends()
    assert.lengthOf(sent, 1)
    assert.equal(sent[0].body.number, '5511988887777')
    const identities = await db.from('contact_identities').where({ provider_id: admin.provider.id, kind: 'whatsapp' })
    assert.deepEqual(identities.map((row) => row.value), ['5511988887777'])

    // The customer answers on WhatsApp: the same conversation.
    ;(await client.post(new URL((await client.get(url(admin.provider.id, `/inboxes/${inboxId}`)).header('authorization', admin.token)).body().webhookUrl).pathname).json(evolution.text({ id: 'REPLY-1', text: 'Obrigado!', phone: '5511988887777' }))).assertStatus(200)
    const conversations = await db.from('conversations').where('provider_id', admin.provider.id)
    assert.lengthOf(conversations, 1)
  })

  test('a second start to the same contact reuses the active conversation', async ({ client, assert }) => {
    await inbox(client)
    const first = await start(client, agent, { inboxId, phone: '5511988887777', content: 'Primeira' })
    first.assertStatus(201)
    const second = await start(client, agent, { inboxId, phone: '5511988887777', content: 'Segunda' })
    second.assertStatus(200)
    assert.equal(second.body().id, first.body().id)
    const messages = await db.from('messages').where('conversation_id', first.body().id).orderBy('id')
    assert.deepEqual(messages.map((m) => m.content), ['Primeira', 'Segunda'])
  })

  test('to an existing contact with a phone', async ({ client, assert }) => {
    await inbox(client)
    const contact = await createContact(admin.provider.id, { phone: '5511977776666' })
    const response = await start(client, admin, { inboxId, contactId: contact.id, content: 'Oi Maria' })
    response.assertStatus(201)
    assert.equal(response.body().contactId, contact.id)
  })

  test('bad input is a 422 naming the field, and nothing is stored', async ({ client, assert }) => {
    await inbox(client)
    const cases: [Record<string, unknown>, string][] = [
      [{ inboxId, content: 'x' }, 'contactId'],
      [{ inboxId, phone: '123', content: 'x' }, 'phone'],
      [{ inboxId, phone: '5511988887777' }, 'content'],
      [{ inboxId: 999999, phone: '5511988887777', content: 'x' }, 'inboxId'],
      [{ inboxId, contactId: 999999, content: 'x' }, 'contactId'],
    ]
    for (const [body, field] of cases) {
      const response = await start(client, agent, body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, JSON.stringify(body))
    }
    const contactless = await createContact(admin.provider.id, { phone: null })
    const unreachable = await start(client, agent, { inboxId, contactId: contactless.id, content: 'x' })
    unreachable.assertStatus(422)
    assert.lengthOf(await db.from('conversations').where('provider_id', admin.provider.id), 0)
    assert.lengthOf(await db.from('messages').where('provider_id', admin.provider.id), 0)
  })

  test('another provider\'s inbox or contact cannot be used', async ({ client, assert }) => {
    await inbox(client)
    const stranger = await createMember(null, 'admin')
    const theirContact = await createContact(stranger.provider.id)
    ;(await start(client, stranger, { inboxId, phone: '5511988887777', content: 'x' })).assertStatus(422)
    ;(await start(client, admin, { inboxId, contactId: theirContact.id, content: 'x' })).assertStatus(422)
    ;(await client.post(url(admin.provider.id, '/conversations')).header('authorization', stranger.token).json({ inboxId, phone: '5511988887777', content: 'x' })).assertStatus(404)
    assert.lengthOf(await db.from('conversations'), 0)
  })
})
