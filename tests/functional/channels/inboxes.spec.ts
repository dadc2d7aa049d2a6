import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import queues from '#services/queue_service'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { FakeUazapi } from '#tests/helpers/fakes/uazapi_server'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

test.group('Inboxes API', (group) => {
  let evolution: FakeEvolution
  let admin: Member

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = await new FakeEvolution().start()
    admin = await createMember(null, 'admin')
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  const base = () => `/api/v1/providers/${admin.provider.id}`

  test('creating an inbox validates the config, registers the webhook and never returns the secret', async ({ client, assert }) => {
    const response = await client
      .post(`${base()}/inboxes`)
      .header('authorization', admin.token)
      .json({ name: 'WhatsApp Suporte', plugin: 'evolution', config: evolution.config() })
    response.assertStatus(201)
    const body = response.body()
    assert.equal(body.plugin, 'evolution')
    assert.match(body.webhookUrl, new RegExp(`^${process.env.APP_URL}/webhooks/evolution/[A-Za-z0-9_-]{32}$`))
    assert.equal(body.config.apiKey, '********')
    assert.equal(body.config.instance, 'provedor-fibra')
    assert.deepEqual(body.webhook, { registered: true })
    assert.notInclude(JSON.stringify(body), evolution.apiKey)
    const registration = evolution.requests.find((r) => r.path === '/webhook/set/provedor-fibra')!
    assert.equal(registration.body.webhook.url, body.webhookUrl)
    const stored = await db.from('inboxes').where('id', body.id).firstOrFail()
    assert.notInclude(stored.config, evolution.apiKey, 'the secret is stored encrypted')
    const audit = await db.from('audit_logs').where({ provider_id: admin.provider.id, action: 'inbox.created' }).firstOrFail()
    assert.notInclude(JSON.stringify(audit), evolution.apiKey)
  })

  test('list, show and update keep the secret masked; a masked secret sent back keeps the stored one', async ({ client, assert }) => {
    const created = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json({ name: 'A', plugin: 'evolution', config: evolution.config() })
    const id = created.body().id
    const list = await client.get(`${base()}/inboxes`).header('authorization', admin.token)
    list.assertStatus(200)
    assert.deepEqual(list.body().meta, { nextCursor: null })
    assert.equal(list.body().data[0].config.apiKey, '********')
    const updated = await client
      .patch(`${base()}/inboxes/${id}`)
      .header('authorization', admin.token)
      .json({ name: 'B', config: { apiKey: '********', instance: 'provedor-fibra' } })
    updated.assertStatus(200)
    assert.equal(updated.body().name, 'B')
    const test = await client.post(`${base()}/inboxes/${id}/test`).header('authorization', admin.token)
    test.assertStatus(200)
    assert.isTrue(test.body().ok, 'the stored key still works')
  })

  test('test connection reports a wrong key; connect returns the QR code', async ({ client, assert }) => {
    const created = await client
      .post(`${base()}/inboxes`)
      .header('authorization', admin.token)
      .json({ name: 'A', plugin: 'evolution', config: evolution.config({ apiKey: 'wrong' }) })
    created.assertStatus(201)
    assert.equal(created.body().webhook.registered, false)
    const id = created.body().id
    const failing = await client.post(`${base()}/inboxes/${id}/test`).header('authorization', admin.token)
    assert.deepEqual(failing.body(), { ok: false, detail: 'Evolution refused the API key' })
    await client.patch(`${base()}/inboxes/${id}`).header('authorization', admin.token).json({ config: { apiKey: evolution.apiKey } })
    const qr = await client.post(`${base()}/inboxes/${id}/connect`).header('authorization', admin.token)
    qr.assertStatus(200)
    assert.equal(qr.body().status, 'qr')
    assert.match(qr.body().qr, /^data:image\/png;base64,/)
    assert.equal(qr.body().pairingCode, 'WZYEH1YY')
  })

  test('a Uazapi inbox: token masked, webhook registered with our URL', async ({ client, assert }) => {
    const uazapi = await new FakeUazapi().start()
    try {
      const created = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json({ name: 'U', plugin: 'uazapi', config: uazapi.config() })
      created.assertStatus(201)
      assert.equal(created.body().config.token, '********')
      assert.equal(uazapi.requests.find((r) => r.path === '/webhook')!.body.url, created.body().webhookUrl)
    } finally {
      await uazapi.close()
    }
  })

  test('invalid input gets 422 with the field and stores nothing', async ({ client, assert }) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ plugin: 'evolution', config: evolution.config() }, 'name'],
      [{ name: 'A', plugin: 'telegram-x', config: {} }, 'plugin'],
      [{ name: 'A', plugin: 'sgp', config: {} }, 'plugin'],
      [{ name: 'A', plugin: 'evolution', config: { ...evolution.config(), baseUrl: 'not a url' } }, 'config.baseUrl'],
      [{ name: 'A', plugin: 'evolution', config: { baseUrl: evolution.baseUrl, instance: 'x' } }, 'config.apiKey'],
      [{ name: 'A', plugin: 'evolution', config: { ...evolution.config(), timeoutSeconds: 0 } }, 'config.timeoutSeconds'],
      [{ name: 'A', plugin: 'evolution', config: evolution.config(), defaultTeamId: 999999 }, 'defaultTeamId'],
    ]
    for (const [payload, field] of cases) {
      const response = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json(payload)
      response.assertStatus(422)
      assert.include(response.body().errors.map((e: any) => e.field), field, JSON.stringify(payload))
    }
    assert.lengthOf(await db.from('inboxes'), 0)
  })

  test('agents list inboxes without config or webhook URL and may not manage them', async ({ client, assert }) => {
    const created = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json({ name: 'A', plugin: 'evolution', config: evolution.config() })
    const agent = await createMember(admin.provider, 'agent')
    const list = await client.get(`${base()}/inboxes`).header('authorization', agent.token)
    list.assertStatus(200)
    assert.notProperty(list.body().data[0], 'config')
    assert.notProperty(list.body().data[0], 'webhookUrl')
    ;(await client.post(`${base()}/inboxes`).header('authorization', agent.token).json({ name: 'X', plugin: 'evolution', config: evolution.config() })).assertStatus(403)
    ;(await client.patch(`${base()}/inboxes/${created.body().id}`).header('authorization', agent.token).json({ name: 'X' })).assertStatus(403)
    ;(await client.delete(`${base()}/inboxes/${created.body().id}`).header('authorization', agent.token)).assertStatus(403)
    ;(await client.post(`${base()}/inboxes/${created.body().id}/connect`).header('authorization', agent.token)).assertStatus(403)
  })

  test('a member of another provider gets 404 on every inbox route', async ({ client }) => {
    const created = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json({ name: 'A', plugin: 'evolution', config: evolution.config() })
    const id = created.body().id
    const other = await createMember(null, 'admin')
    const own = `/api/v1/providers/${other.provider.id}/inboxes/${id}`
    const foreign = `${base()}/inboxes/${id}`
    for (const path of [own, foreign]) {
      ;(await client.get(path).header('authorization', other.token)).assertStatus(404)
      ;(await client.patch(path).header('authorization', other.token).json({ name: 'X' })).assertStatus(404)
      ;(await client.delete(path).header('authorization', other.token)).assertStatus(404)
      ;(await client.post(`${path}/test`).header('authorization', other.token)).assertStatus(404)
      ;(await client.post(`${path}/connect`).header('authorization', other.token)).assertStatus(404)
    }
    ;(await client.get(`${base()}/inboxes`).header('authorization', other.token)).assertStatus(404)
    ;(await client.get(`${base()}/plugins`).header('authorization', other.token)).assertStatus(404)
  })

  test('deleting an inbox makes its webhook URL unknown', async ({ client }) => {
    const created = await client.post(`${base()}/inboxes`).header('authorization', admin.token).json({ name: 'A', plugin: 'evolution', config: evolution.config() })
    const path = new URL(created.body().webhookUrl).pathname
    ;(await client.delete(`${base()}/inboxes/${created.body().id}`).header('authorization', admin.token)).assertStatus(204)
    ;(await client.post(path).json(evolution.text({ id: 'AFTER-DELETE' }))).assertStatus(404)
  })

  test('the plugin catalogue describes config forms without values', async ({ client, assert }) => {
    const response = await client.get(`${base()}/plugins?kind=channel`).header('authorization', admin.token)
    response.assertStatus(200)
    const ids = response.body().data.map((p: any) => p.id)
    assert.includeMembers(ids, ['evolution', 'uazapi'])
    const evo = response.body().data.find((p: any) => p.id === 'evolution')
    const apiKey = evo.config.find((f: any) => f.name === 'apiKey')
    assert.include(apiKey, { type: 'string', secret: true, required: true, default: null })
    assert.isTrue(evo.capabilities.reactions)
    ;(await client.get(`${base()}/plugins?kind=crm`).header('authorization', admin.token)).assertStatus(422)
  })
})

test.group('Outbound pipeline', (group) => {
  let evolution: FakeEvolution
  let admin: Member
  let conversationId: number

  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = await new FakeEvolution().start()
    admin = await createMember(null, 'admin')
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  async function conversation(client: any) {
    const created = await client
      .post(`/api/v1/providers/${admin.provider.id}/inboxes`)
      .header('authorization', admin.token)
      .json({ name: 'A', plugin: 'evolution', config: evolution.config() })
    await client.post(new URL(created.body().webhookUrl).pathname).json(evolution.text({ id: 'OUT-IN-1' }))
    conversationId = (await db.from('conversations').firstOrFail()).id
    return `/api/v1/providers/${admin.provider.id}/conversations/${conversationId}/messages`
  }

  test('an agent message is stored queued, sent once, and its provider id recorded', async ({ client, assert }) => {
    const path = await conversation(client)
    const created = await client.post(path).header('authorization', admin.token).json({ content: 'Olá Maria!' })
    created.assertStatus(201)
    assert.equal(created.body().status, 'queued')
    assert.equal(created.body().senderKind, 'agent')
    await drainQueues()
    const sent = evolution.sends()
    assert.lengthOf(sent, 1)
    assert.deepEqual(sent[0].body, { number: '5511999990001', text: 'Olá Maria!' })
    const list = await client.get(path).header('authorization', admin.token)
    const ours = list.body().data.find((m: any) => m.id === created.body().id)
    assert.equal(ours.status, 'sent')
    assert.match(ours.externalId, /^3EB0/)
    // The job running again (a retry, a duplicate enqueue) does not send twice.
    const outbound = (await import('#services/outbound_service')).default
    assert.equal(await outbound.deliver(created.body().id), 'already_sent')
    assert.lengthOf(evolution.sends(), 1)
  })

  test('a temporary failure is retried with back-off and then sent', async ({ client, assert }) => {
    const path = await conversation(client)
    evolution.failSends = [503]
    const created = await client.post(path).header('authorization', admin.token).json({ content: 'tentando' })
    await drainQueues(30_000)
    const row = await db.from('messages').where('id', created.body().id).firstOrFail()
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 2)
    assert.lengthOf(evolution.sends(), 2)
  }).timeout(40_000)

  test('a refused send ends failed with the reason; the last failed attempt too', async ({ client, assert }) => {
    const path = await conversation(client)
    evolution.failSends = [401]
    const refused = await client.post(path).header('authorization', admin.token).json({ content: 'recusada' })
    await drainQueues()
    let row = await db.from('messages').where('id', refused.body().id).firstOrFail()
    assert.equal(row.status, 'failed')
    assert.equal(row.error, 'Evolution refused the API key')

    evolution.failSends = [503, 503]
    const flaky = await client.post(path).header('authorization', admin.token).json({ content: 'instável' })
    // Enqueued by hand with two attempts and a short back-off so the last attempt comes quickly.
    await queues.get('outbound').add('outbound.send', { providerId: admin.provider.id, messageId: flaky.body().id }, {
      jobId: `manual-${flaky.body().id}`,
      attempts: 2,
      backoff: { type: 'fixed', delay: 50 },
    })
    await db.from('outbox').update({ dispatched_at: new Date() })
    await drainQueues()
    row = await db.from('messages').where('id', flaky.body().id).firstOrFail()
    assert.equal(row.status, 'failed')
    assert.match(row.error, /Evolution failed \(HTTP 503\)/)
  })

  test('empty messages get 422; another provider gets 404', async ({ client, assert }) => {
    const path = await conversation(client)
    const empty = await client.post(path).header('authorization', admin.token).json({ content: '   ' })
    empty.assertStatus(422)
    const other = await createMember(null, 'admin')
    ;(await client.post(path).header('authorization', other.token).json({ content: 'x' })).assertStatus(404)
    ;(await client.get(path).header('authorization', other.token)).assertStatus(404)
    ;(await client
      .get(`/api/v1/providers/${other.provider.id}/conversations/${conversationId}/messages`)
      .header('authorization', other.token)).assertStatus(404)
    assert.lengthOf(await db.from('messages').where('direction', 'out'), 0)
  })
})
