import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/** React, delete for everyone and canned responses, through a real (fake) WhatsApp provider. */
test.group('Message actions', (group) => {
  let evolution: FakeEvolution
  let admin: Member
  let base: string
  let conversationId: number

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = new FakeEvolution()
    await evolution.start()
    admin = await createMember(null, 'admin')
    base = `/api/v1/providers/${admin.provider.id}`
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  async function conversationWithCustomer(client: ApiClient) {
    const inbox = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'WhatsApp', plugin: 'evolution', config: evolution.config() })
    ;(await client.post(new URL(inbox.body().webhookUrl).pathname).json(evolution.text({ id: 'IN-1', text: 'Oi, tudo bem?' }))).assertStatus(200)
    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    conversationId = conversation.id
    return db.from('messages').where('conversation_id', conversation.id).firstOrFail()
  }

  const react = (client: ApiClient, messageId: number, emoji: unknown, member = admin) =>
    client.post(`/api/v1/providers/${member.provider.id}/conversations/${conversationId}/messages/${messageId}/react`).header('authorization', member.token).json({ emoji } as any)

  test('an agent reacts to a customer message: the provider gets it, the message shows it, and it can be taken back', async ({ client, assert }) => {
    const inbound = await conversationWithCustomer(client)
    const response = await react(client, inbound.id, '👍')
    response.assertStatus(200)
    assert.deepEqual(response.body().reactions.map((r: any) => [r.emoji, r.by]), [['👍', admin.user.id]])
    const sent = evolution.requests.filter((r) => r.path.startsWith('/message/sendReaction'))
    assert.lengthOf(sent, 1)
    assert.equal(sent[0].body.reaction, '👍')
    assert.equal(sent[0].body.key.id, inbound.external_id)

    const removed = await react(client, inbound.id, null)
    removed.assertStatus(200)
    assert.deepEqual(removed.body().reactions, [])
    ;(await react(client, inbound.id, 'x'.repeat(40))).assertStatus(422)
  })

  test('delete for everyone: the provider deletes it and the inbox shows it deleted; only our own messages', async ({ client, assert }) => {
    const inbound = await conversationWithCustomer(client)
    const sent = await client.post(`${base}/conversations/${conversationId}/messages`).header('authorization', admin.token).json({ content: 'Mensagem errada' })
    await drainQueues()
    const removed = await client.delete(`${base}/conversations/${conversationId}/messages/${sent.body().id}`).header('authorization', admin.token)
    removed.assertStatus(200)
    assert.isNotNull(removed.body().deletedAt)
    assert.lengthOf(evolution.requests.filter((r) => r.path.startsWith('/chat/deleteMessageForEveryone')), 1)
    const audit = await db.from('audit_logs').where({ provider_id: admin.provider.id, action: 'message.deleted' })
    assert.lengthOf(audit, 1)

    ;(await client.delete(`${base}/conversations/${conversationId}/messages/${inbound.id}`).header('authorization', admin.token)).assertStatus(422)

    const agent = await createMember(admin.provider, 'agent')
    await db.from('conversations').where('id', conversationId).update({ assignee_id: agent.user.id, status: 'open' })
    const theirs = await client.post(`${base}/conversations/${conversationId}/messages`).header('authorization', admin.token).json({ content: 'Do admin' })
    await drainQueues()
    ;(await client.delete(`${base}/conversations/${conversationId}/messages/${theirs.body().id}`).header('authorization', agent.token)).assertStatus(403)

    const note = await client.post(`${base}/conversations/${conversationId}/messages`).header('authorization', agent.token).json({ content: 'nota interna', private: true })
    const deletes = evolution.requests.length
    ;(await client.delete(`${base}/conversations/${conversationId}/messages/${note.body().id}`).header('authorization', agent.token)).assertStatus(200)
    assert.equal(evolution.requests.length, deletes) // a note never reached the customer
  })

  test('a canned response is sent by id; another provider\'s message or canned response cannot be used', async ({ client, assert }) => {
    const inbound = await conversationWithCustomer(client)
    const canned = await client.post(`${base}/canned-responses`).header('authorization', admin.token).json({ shortcut: 'boasvindas', content: 'Olá! Em que posso ajudar?' })
    canned.assertStatus(201)
    const sent = await client.post(`${base}/conversations/${conversationId}/messages`).header('authorization', admin.token).json({ cannedResponseId: canned.body().id })
    sent.assertStatus(201)
    assert.equal(sent.body().content, 'Olá! Em que posso ajudar?')

    const stranger = await createMember(null, 'admin')
    const theirCanned = await client.post(`/api/v1/providers/${stranger.provider.id}/canned-responses`).header('authorization', stranger.token).json({ shortcut: 'x', content: 'segredo deles' })
    ;(await client.post(`${base}/conversations/${conversationId}/messages`).header('authorization', admin.token).json({ cannedResponseId: theirCanned.body().id })).assertStatus(404)
    ;(await react(client, inbound.id, '👍', stranger)).assertStatus(404)
    ;(await client.delete(`/api/v1/providers/${stranger.provider.id}/conversations/${conversationId}/messages/${sent.body().id}`).header('authorization', stranger.token)).assertStatus(404)
    assert.lengthOf(await db.from('messages').where('content', 'segredo deles'), 0)
  })
})
