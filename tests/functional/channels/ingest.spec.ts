import { DEFAULT_REDIS_URL } from '#config/connections'
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import ingest from '#services/ingest_service'
import outbox from '#services/outbox_service'
import queues from '#services/queue_service'
import { createMember, suspend, type Member } from '#tests/helpers/tenancy'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { FakeUazapi } from '#tests/helpers/fakes/uazapi_server'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { oggVoiceNote } from '#tests/helpers/media'

async function createInbox(client: ApiClient, admin: Member, plugin: string, config: Record<string, unknown>, extra = {}) {
  const response = await client
    .post(`/api/v1/providers/${admin.provider.id}/inboxes`)
    .header('authorization', admin.token)
    .json({ name: plugin, plugin, config, ...extra })
  response.assertStatus(201)
  return { id: response.body().id as number, path: new URL(response.body().webhookUrl).pathname }
}

/** A TCP proxy in front of Redis that a test can take down (connections cut, port closed) and bring back. */
class RedisProxy {
  #server: Server | null = null
  #sockets = new Set<Socket>()
  port = 0

  constructor(
    private host: string,
    private targetPort: number
  ) {}

  async start() {
    await this.up()
    return this
  }

  async up() {
    this.#server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host)
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.on('close', () => this.#sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.#server.address() as AddressInfo).port
  }

  async down() {
    const server = this.#server
    this.#server = null
    for (const socket of this.#sockets) socket.destroy()
    if (server) await new Promise((resolve) => server.close(resolve))
  }

  close() {
    return this.down()
  }
}

async function enableAi(providerId: number) {
  await db.table('provider_settings').insert({ provider_id: providerId, kind: 'ai', enabled: true, settings: '{}' })
}

test.group('Ingest pipeline', (group) => {
  let evolution: FakeEvolution
  let admin: Member
  const answered: { answerable: boolean; messageId: number }[] = []
  let stopListening: () => void

  group.setup(async () => {
    await startTestWorkers()
    stopListening = ingest.onCustomerMessage(async ({ answerable, message }) => {
      answered.push({ answerable, messageId: Number(message.id) })
    }) as any
    return async () => {
      stopListening()
      await stopTestWorkers()
    }
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    answered.length = 0
    evolution = await new FakeEvolution().start()
    admin = await createMember(null, 'admin')
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  test('a customer message opens a bot conversation when the AI is on and offers it to the AI', async ({ client, assert }) => {
    await enableAi(admin.provider.id)
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    ;(await client.post(inbox.path).json(evolution.text({ id: 'IN-1' }))).assertStatus(200)
    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    assert.equal(conversation.status, 'bot')
    const contact = await db.from('contacts').where('id', conversation.contact_id).firstOrFail()
    assert.equal(contact.phone, '5511999990001')
    assert.equal(contact.name, 'Maria Souza')
    assert.lengthOf(answered, 1)
    assert.isTrue(answered[0].answerable)
    const events = await db.from('realtime_events').where('provider_id', admin.provider.id).select('event')
    assert.includeMembers(events.map((e) => e.event), ['conversation.created', 'message.created'])
  })

  test('a webhook is answered without session or CSRF cookies; a browser page still gets them', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    const webhook = await client.post(inbox.path).json(evolution.text({ id: 'COOKIE-1' }))
    webhook.assertStatus(200)
    assert.isUndefined(webhook.header('set-cookie'))
    const page = await client.get('/login')
    page.assertStatus(200)
    const cookies = String(page.header('set-cookie'))
    assert.include(cookies, 'niochat-session')
    assert.include(cookies, 'XSRF-TOKEN')
  })

  test('a customer writing to a snoozed conversation brings it back to the lists', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    ;(await client.post(inbox.path).json(evolution.text({ id: 'SNOOZE-1' }))).assertStatus(200)
    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    const until = new Date(Date.now() + 3_600_000).toISOString()
    ;(await client.post(`/api/v1/providers/${admin.provider.id}/conversations/${conversation.id}/snooze`).header('authorization', admin.token).json({ until })).assertStatus(200)
    ;(await client.post(inbox.path).json(evolution.text({ id: 'SNOOZE-2', text: 'Ainda estou sem internet' }))).assertStatus(200)
    const after = await db.from('conversations').where('id', conversation.id).firstOrFail()
    assert.isNull(after.snoozed_until)
    assert.equal(after.unread_count, 2)
  })

  test('a message typed on the business phone is an agent message and moves a bot conversation to pending', async ({ client, assert }) => {
    await enableAi(admin.provider.id)
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    await client.post(inbox.path).json(evolution.text({ id: 'IN-2' }))
    ;(await client.post(inbox.path).json(evolution.typedOnPhone('PHONE-1', 'Oi Maria, aqui é o Carlos'))).assertStatus(200)
    const messages = await db.from('messages').where('provider_id', admin.provider.id).orderBy('id')
    assert.lengthOf(messages, 2)
    assert.equal(messages[1].sender_kind, 'agent')
    assert.equal(messages[1].direction, 'out')
    assert.equal(messages[1].content, 'Oi Maria, aqui é o Carlos')
    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    assert.equal(conversation.status, 'pending')
    assert.isTrue(conversation.had_human)
    assert.lengthOf(answered, 1, 'the agent message is not offered to the AI')
  })

  test('the same from Uazapi: fromMe typed on the phone is stored as the agent', async ({ client, assert }) => {
    await enableAi(admin.provider.id)
    const uazapi = await new FakeUazapi().start()
    try {
      const inbox = await createInbox(client, admin, 'uazapi', uazapi.config())
      await client.post(inbox.path).json(uazapi.text({ id: 'UZ-IN-1' }))
      ;(await client.post(inbox.path).json(uazapi.typedOnPhone('UZ-PHONE-1', 'Já abri uma visita técnica'))).assertStatus(200)
      const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
      assert.equal(conversation.status, 'pending')
      const agent = await db.from('messages').where({ provider_id: admin.provider.id, sender_kind: 'agent' }).firstOrFail()
      assert.equal(agent.external_id, 'UZ-PHONE-1')
    } finally {
      await uazapi.close()
    }
  })

  test('group messages are stored and never offered to the AI unless the inbox enables groups', async ({ client, assert }) => {
    await enableAi(admin.provider.id)
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    ;(await client.post(inbox.path).json(evolution.group({ id: 'GRP-1', text: 'bom dia pessoal' }))).assertStatus(200)
    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    assert.isTrue(conversation.is_group)
    assert.equal(conversation.chat_id, '120363025246125486@g.us')
    assert.equal(conversation.status, 'pending')
    const message = await db.from('messages').where('provider_id', admin.provider.id).firstOrFail()
    assert.equal(message.sender_name, 'João Pedro Lima')
    assert.deepEqual(answered.map((a) => a.answerable), [false])
  })

  test('reactions and deletions change the message they point at, never add a turn', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    await client.post(inbox.path).json(evolution.text({ id: 'TARGET-1' }))
    ;(await client.post(inbox.path).json(evolution.reaction('TARGET-1', '👍'))).assertStatus(200)
    let target = await db.from('messages').where('external_id', 'TARGET-1').firstOrFail()
    assert.deepEqual(target.reactions.map((r: any) => [r.emoji, r.by]), [['👍', 'customer']])
    ;(await client.post(inbox.path).json(evolution.reaction('TARGET-1', ''))).assertStatus(200)
    target = await db.from('messages').where('external_id', 'TARGET-1').firstOrFail()
    assert.deepEqual(target.reactions, [])
    ;(await client.post(inbox.path).json(evolution.deletion('TARGET-1'))).assertStatus(200)
    target = await db.from('messages').where('external_id', 'TARGET-1').firstOrFail()
    assert.isNotNull(target.deleted_at)
    assert.equal(Number((await db.from('messages').count('* as n'))[0].n), 1)
    assert.lengthOf(answered, 1)
  })

  test('a poll is stored as a visible placeholder', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    ;(await client.post(inbox.path).json(evolution.poll('POLL-1'))).assertStatus(200)
    const message = await db.from('messages').where('external_id', 'POLL-1').firstOrFail()
    assert.equal(message.type, 'unsupported')
    assert.equal(message.content, 'unsupported message: poll')
  })

  test('connection events keep the inbox status', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    ;(await client.post(inbox.path).json(evolution.connection('open'))).assertStatus(200)
    const shown = await client.get(`/api/v1/providers/${admin.provider.id}/inboxes/${inbox.id}`).header('authorization', admin.token)
    assert.equal(shown.body().status, 'connected')
    ;(await client.post(inbox.path).json(evolution.connection('close'))).assertStatus(200)
    assert.equal((await db.from('inboxes').where('id', inbox.id).firstOrFail()).status, 'disconnected')
  })

  test('a webhook carrying another apikey or another instance is refused and stores nothing', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    const forged = evolution.text({ id: 'FORGED-1' })
    forged.apikey = 'not-the-key'
    ;(await client.post(inbox.path).json(forged)).assertStatus(401)
    const misrouted = evolution.text({ id: 'FORGED-2' })
    misrouted.instance = 'someone-else'
    ;(await client.post(inbox.path).json(misrouted)).assertStatus(401)
    const anonymous = evolution.text({ id: 'NOKEY-1' })
    anonymous.apikey = null
    ;(await client.post(inbox.path).json(anonymous)).assertStatus(200)
    assert.deepEqual((await db.from('messages').select('external_id')).map((m) => m.external_id), ['NOKEY-1'])
  })

  test('the event-name suffix of "webhook by events" is understood', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    const body = evolution.text({ id: 'BYEVENT-1' })
    delete body.event
    ;(await client.post(`${inbox.path}/messages-upsert`).json(body)).assertStatus(200)
    assert.lengthOf(await db.from('messages').where('external_id', 'BYEVENT-1'), 1)
  })

  test('a suspended provider still stores webhooks but nothing is answered', async ({ client, assert }) => {
    await enableAi(admin.provider.id)
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    await suspend(admin.provider)
    ;(await client.post(inbox.path).json(evolution.text({ id: 'SUSP-1' }))).assertStatus(200)
    assert.lengthOf(await db.from('messages').where('external_id', 'SUSP-1'), 1)
    assert.deepEqual(answered.map((a) => a.answerable), [false])
  })

  test('payload content never causes a 5xx: huge ids, NUL characters, odd types', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    const longId = evolution.text({ id: 'X'.repeat(500) })
    ;(await client.post(inbox.path).json(longId)).assertStatus(400)
    const nul = evolution.text({ id: 'NUL-1', text: 'a\u0000b' })
    ;(await client.post(inbox.path).json(nul)).assertStatus(200)
    assert.equal((await db.from('messages').where('external_id', 'NUL-1').firstOrFail()).content, 'ab')
    const oddTypes = evolution.text({ id: 'ODD-1' })
    oddTypes.data.messageTimestamp = { low: 'x' }
    oddTypes.data.message = { conversation: 42 }
    ;(await client.post(inbox.path).json(oddTypes)).assertStatus(200)
    const noData = { event: 'messages.upsert', instance: 'provedor-fibra' }
    ;(await client.post(inbox.path).json(noData)).assertStatus(400)
  })

  test('an inbound voice note is downloaded and converted for browser playback', async ({ client, assert }) => {
    const uazapi = await new FakeUazapi().start()
    try {
      uazapi.media.set('VOICE-1', { data: oggVoiceNote(), mimetype: 'audio/ogg; codecs=opus' })
      const inbox = await createInbox(client, admin, 'uazapi', uazapi.config())
      ;(await client.post(inbox.path).json(uazapi.audio({ id: 'VOICE-1' }))).assertStatus(200)
      await drainQueues()
      const attachment = await db.from('attachments').where('provider_id', admin.provider.id).firstOrFail()
      assert.equal(attachment.kind, 'voice')
      assert.match(attachment.mime, /^audio\/ogg/)
      assert.isString(attachment.playback_key)
      const played = await fetch(
        `http://${process.env.HOST}:${process.env.PORT}/api/v1/providers/${admin.provider.id}/attachments/${attachment.id}?variant=playback`,
        { headers: { authorization: admin.token } }
      )
      assert.equal(played.status, 200)
      assert.equal(played.headers.get('content-type'), 'audio/mpeg')
      const bytes = Buffer.from(await played.arrayBuffer())
      assert.isAbove(bytes.length, 1000)
    } finally {
      await uazapi.close()
    }
  })

  test('a Redis outage between commit and enqueue still ends with the follow-up job done', async ({ client, assert }) => {
    const inbox = await createInbox(client, admin, 'evolution', evolution.config())
    const redisUrl = env.get('REDIS_URL')
    const real = new URL(redisUrl || DEFAULT_REDIS_URL)
    const proxy = await new RedisProxy(real.hostname, Number(real.port || 6379)).start()
    // The queues talk to Redis through a proxy the test can cut.
    await stopTestWorkers()
    await queues.close()
    env.set('REDIS_URL', `redis://127.0.0.1:${proxy.port}${real.pathname}`)
    try {
      await startTestWorkers()
      await proxy.down()
      ;(await client.post(inbox.path).json(evolution.image({ id: 'OUTAGE-IMG-1' }))).assertStatus(200)
      assert.lengthOf(await db.from('messages').where('external_id', 'OUTAGE-IMG-1'), 1, 'the message is stored')
      assert.equal(await outbox.pendingCount(), 1, 'the media job waits in the outbox')
      await proxy.up()
      await drainQueues(30_000)
      assert.equal(await outbox.pendingCount(), 0)
      const attachment = await db.from('attachments').where('provider_id', admin.provider.id).firstOrFail()
      assert.equal(attachment.status, 'ready')
    } finally {
      await stopTestWorkers()
      await queues.close()
      env.set('REDIS_URL', redisUrl ?? '')
      await proxy.close()
      await startTestWorkers()
    }
  }).timeout(60_000)
})
