import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { channels } from '#realtime/channels'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { SseClient } from '#tests/helpers/sse_client'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { url } from '#tests/functional/workflow/helpers'

/** Typing indicators both ways: WhatsApp presence → agents; an agent typing → the other agents and WhatsApp. */
test.group('Typing indicators', (group) => {
  let evolution: FakeEvolution
  let admin: Member
  let webhook: string
  const open: SseClient[] = []

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = await new FakeEvolution().start()
    admin = await createMember(null, 'admin')
    return async () => {
      for (const client of open.splice(0)) client.close()
      await evolution.close()
      await truncate()
    }
  })

  async function customerWrites(client: any) {
    const inbox = await client.post(url(admin.provider.id, '/inboxes')).header('authorization', admin.token).json({ name: 'WhatsApp', plugin: 'evolution', config: evolution.config() })
    inbox.assertStatus(201)
    webhook = new URL(inbox.body().webhookUrl).pathname
    ;(await client.post(webhook).json(evolution.text({ id: 'TYPING-1', phone: '5511999990001' }))).assertStatus(200)
    return Number((await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()).id)
  }

  async function listen(member: Member, conversationId: number) {
    const stream = await SseClient.login(member.user)
    open.push(stream)
    await stream.connect()
    const status = await stream.subscribe(channels.conversation(member.provider.id, conversationId))
    return { stream, status }
  }

  const presence = (jid: string, state: string) => ({
    event: 'presence.update',
    instance: evolution.instance,
    apikey: evolution.apiKey,
    data: { id: jid, presences: { [jid]: { lastKnownPresence: state } } },
  })

  test('the customer typing on WhatsApp shows to the agents of the conversation, and stops', async ({ client, assert }) => {
    const conversationId = await customerWrites(client)
    const { stream, status } = await listen(admin, conversationId)
    assert.equal(status, 204)

    ;(await client.post(webhook).json(presence('5511999990001@s.whatsapp.net', 'composing'))).assertStatus(200)
    const typing = await stream.waitFor((f) => f.event === 'conversation.typing' && f.payload.on === true)
    assert.deepEqual(typing.payload, { conversationId, by: 'customer', on: true })
    assert.equal(typing.seq, 0) // passing state: not stored, not numbered
    ;(await client.post(webhook).json(presence('5511999990001@s.whatsapp.net', 'paused'))).assertStatus(200)
    await stream.waitFor((f) => f.event === 'conversation.typing' && f.payload.on === false)

    // Someone with no conversation here, or a body without presences: answered, nothing pushed, nothing stored.
    ;(await client.post(webhook).json(presence('5511888880000@s.whatsapp.net', 'composing'))).assertStatus(200)
    ;(await client.post(webhook).json({ event: 'presence.update', instance: evolution.instance, apikey: evolution.apiKey, data: {} })).assertStatus(200)
    assert.lengthOf(await db.from('realtime_events').where('event', 'conversation.typing'), 0)
    assert.lengthOf(stream.events().filter((f) => f.event === 'conversation.typing'), 2)
  })

  test('an agent typing is shown to the other agents and sent to WhatsApp as composing, then paused', async ({ client, assert }) => {
    const conversationId = await customerWrites(client)
    const colleague = await createMember(admin.provider, 'supervisor')
    const { stream } = await listen(colleague, conversationId)

    const typingUrl = url(admin.provider.id, `/conversations/${conversationId}/typing`)
    ;(await client.post(typingUrl).header('authorization', admin.token).json({ on: true })).assertStatus(204)
    const seen = await stream.waitFor((f) => f.event === 'conversation.typing' && f.payload.on === true)
    assert.equal(seen.payload.by, 'agent')
    assert.equal(seen.payload.userId, admin.user.id)
    ;(await client.post(typingUrl).header('authorization', admin.token).json({ on: false })).assertStatus(204)
    await stream.waitFor((f) => f.event === 'conversation.typing' && f.payload.on === false)

    const presences = evolution.requests.filter((r) => r.path === `/chat/sendPresence/${evolution.instance}`)
    assert.deepEqual(presences.map((r) => [r.body.number, r.body.presence]), [
      ['5511999990001', 'composing'],
      ['5511999990001', 'paused'],
    ])
  })

  test('bad input is refused; another provider cannot type in this conversation', async ({ client, assert }) => {
    const conversationId = await customerWrites(client)
    const typingUrl = url(admin.provider.id, `/conversations/${conversationId}/typing`)
    const bad = await client.post(typingUrl).header('authorization', admin.token).json({ on: 'maybe' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'on')

    const outsider = await createMember(null, 'admin')
    ;(await client.post(url(outsider.provider.id, `/conversations/${conversationId}/typing`)).header('authorization', outsider.token).json({ on: true })).assertStatus(404)
    ;(await client.post(typingUrl).header('authorization', outsider.token).json({ on: true })).assertStatus(404)
    assert.lengthOf(evolution.requests.filter((r) => r.path.startsWith('/chat/sendPresence')), 0)
  })
})
