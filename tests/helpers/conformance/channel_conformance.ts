import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/**
 * What a channel plugin's fake provider gives the conformance suite: its config for an inbox, and
 * webhook bodies in the provider's own wire format (built from recorded payloads).
 */
export interface ChannelFake {
  start(): Promise<unknown>
  close(): Promise<unknown>
  /** The inbox config that points the plugin at this fake. */
  config(): Record<string, unknown>
  /** How many messages the fake was asked to send. */
  sendCount(): number
  /** Runs before the fake answers a send with `externalId` (the suite posts the echo from here). */
  onSend(hook: ((externalId: string) => Promise<void>) | undefined): void
  text(options: { id: string; phone: string; lid?: string; text: string; at?: number }): unknown
  /** A message addressed by LID only (no phone). Omit when the channel has no such addressing. */
  lidOnlyText?(options: { id: string; lid: string; text: string }): unknown
  image(options: { id: string; phone: string }): unknown
  /** The bytes the fake serves for that image. */
  imageBytes: Buffer
  /** A read receipt for our message (channels with statuses). */
  readAck?(externalId: string): unknown
  /** The provider echoing our send `externalId` (our message id `ourId`, for providers that carry one back). */
  echo?(externalId: string, text: string, ourId: number): unknown
  unknownEvent(): unknown
  /** Bodies that are not what the provider sends: each must get a 4xx and store nothing. */
  malformed(): unknown[]
}

export interface ConformanceOptions {
  pluginId: string
  fake: () => ChannelFake
  /** Whether the provider sends our own messages back (WhatsApp does, Telegram bots do not). Default true. */
  echoes?: boolean
  /** Whether the provider reports delivery/read statuses. Default true. */
  statuses?: boolean
  /** Headers the provider sends with every webhook call (a shared secret the plugin verifies). */
  webhookHeaders?: () => Record<string, string>
  /** What a malformed body may be answered with (4xx for most; 200 for providers that retry everything). */
  malformedStatuses?: number[]
}

const PHONE = '5511988887777'
const LID = '99887766554433@lid'

async function counts(providerId: number) {
  const [row] = await db.rawQuery(
    `SELECT (SELECT count(*) FROM messages WHERE provider_id = ?) AS messages,
            (SELECT count(*) FROM conversations WHERE provider_id = ?) AS conversations,
            (SELECT count(*) FROM contacts WHERE provider_id = ?) AS contacts`,
    [providerId, providerId, providerId]
  ).then((r) => r.rows)
  return { messages: Number(row.messages), conversations: Number(row.conversations), contacts: Number(row.contacts) }
}

/**
 * The channel-plugin conformance suite (DESIGN "The plugin kernel"): every channel plugin runs it
 * against a fake of its provider, through real HTTP on both sides. Duplicates, concurrency, ordering,
 * one contact across phone and LID, echoes that overtake their send, media, statuses, unknown events
 * and malformed bodies.
 */
export function channelConformance(options: ConformanceOptions) {
  test.group(`${options.pluginId} plugin conformance`, (group) => {
    let fake: ChannelFake
    let admin: Member
    let webhookPath: string
    let inboxId: number

    group.setup(async () => {
      await startTestWorkers()
      return () => stopTestWorkers()
    })

    group.each.setup(async () => {
      const truncate = await testUtils.db().truncate()
      fake = options.fake()
      await fake.start()
      admin = await createMember(null, 'admin')
      return async () => {
        await fake.close()
        await truncate()
      }
    })

    async function inbox(client: ApiClient) {
      const response = await client
        .post(`/api/v1/providers/${admin.provider.id}/inboxes`)
        .header('authorization', admin.token)
        .json({ name: 'WhatsApp', plugin: options.pluginId, config: fake.config() })
      response.assertStatus(201)
      inboxId = response.body().id
      webhookPath = new URL(response.body().webhookUrl).pathname
    }

    const deliver = (client: ApiClient, body: unknown) =>
      client.post(webhookPath).headers(options.webhookHeaders?.() ?? {}).json(body as any)

    async function messagesOf(client: ApiClient) {
      const list = await client
        .get(`/api/v1/providers/${admin.provider.id}/conversations`)
        .header('authorization', admin.token)
      list.assertStatus(200)
      const conversation = list.body().data[0]
      const messages = await client
        .get(`/api/v1/providers/${admin.provider.id}/conversations/${conversation.id}/messages`)
        .header('authorization', admin.token)
      return { conversation, messages: messages.body().data as any[] }
    }

    test('a message delivered three times is stored once', async ({ client, assert }) => {
      await inbox(client)
      const body = fake.text({ id: 'CONF-DUP-1', phone: PHONE, text: 'Oi, estou sem internet' })
      for (let i = 0; i < 3; i++) (await deliver(client, body)).assertStatus(200)
      assert.deepEqual(await counts(admin.provider.id), { messages: 1, conversations: 1, contacts: 1 })
      const { messages } = await messagesOf(client)
      assert.equal(messages[0].content, 'Oi, estou sem internet')
      assert.equal(messages[0].senderKind, 'customer')
    })

    test('20 concurrent deliveries of a new customer store one message, one conversation, one contact', async ({ client, assert }) => {
      await inbox(client)
      const body = fake.text({ id: 'CONF-RACE-1', phone: PHONE, text: 'Olá' })
      const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(client, body)))
      for (const answer of answers) answer.assertStatus(200)
      assert.deepEqual(await counts(admin.provider.id), { messages: 1, conversations: 1, contacts: 1 })
    })

    test('messages keep their order and the preview shows the last one', async ({ client, assert }) => {
      await inbox(client)
      const texts = ['um', 'dois', 'três', 'quatro', 'cinco']
      for (const [i, text] of texts.entries()) {
        ;(await deliver(client, fake.text({ id: `CONF-ORDER-${i}`, phone: PHONE, text, at: 1749576725 + i }))).assertStatus(200)
      }
      const { conversation, messages } = await messagesOf(client)
      assert.deepEqual(messages.map((m) => m.content).reverse(), texts)
      assert.equal(conversation.lastMessagePreview, 'cinco')
      assert.equal(conversation.unreadCount, 5)
    })

    test('a customer written to by phone and by LID stays one contact', async ({ client, assert }) => {
      await inbox(client)
      ;(await deliver(client, fake.text({ id: 'CONF-LID-1', phone: PHONE, lid: LID, text: 'primeira' }))).assertStatus(200)
      if (fake.lidOnlyText) {
        ;(await deliver(client, fake.lidOnlyText({ id: 'CONF-LID-2', lid: LID, text: 'segunda' }))).assertStatus(200)
      }
      const result = await counts(admin.provider.id)
      assert.equal(result.contacts, 1)
      assert.equal(result.conversations, 1)
    })

    if (options.echoes !== false) test('an echo that arrives before the send returned is matched to the outbound message', async ({ client, assert }) => {
      await inbox(client)
      ;(await deliver(client, fake.text({ id: 'CONF-ECHO-1', phone: PHONE, text: 'preciso da fatura' }))).assertStatus(200)
      const { conversation } = await messagesOf(client)
      let echo: Promise<{ status(): number }> | undefined
      fake.onSend(async (externalId) => {
        const ours = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' }).first()
        // The provider posts the echo while our send call is still waiting for its answer.
        echo = deliver(client, fake.echo!(externalId, 'Segue a fatura', Number(ours.id)))
        await new Promise((resolve) => setTimeout(resolve, 300))
      })
      const sent = await client
        .post(`/api/v1/providers/${admin.provider.id}/conversations/${conversation.id}/messages`)
        .header('authorization', admin.token)
        .json({ content: 'Segue a fatura' })
      sent.assertStatus(201)
      await drainQueues()
      assert.isDefined(echo)
      assert.equal((await echo!).status(), 200)
      assert.equal(fake.sendCount(), 1)
      const outbound = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' })
      assert.lengthOf(outbound, 1)
      assert.equal(outbound[0].status, 'sent')
      assert.isString(outbound[0].external_id)
    })

    if (options.statuses !== false) test('delivery and read statuses update the outbound message', async ({ client, assert }) => {
      await inbox(client)
      ;(await deliver(client, fake.text({ id: 'CONF-ACK-1', phone: PHONE, text: 'oi' }))).assertStatus(200)
      const { conversation } = await messagesOf(client)
      fake.onSend(undefined)
      await client
        .post(`/api/v1/providers/${admin.provider.id}/conversations/${conversation.id}/messages`)
        .header('authorization', admin.token)
        .json({ content: 'Olá! Como posso ajudar?' })
      await drainQueues()
      const sent = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' }).firstOrFail()
      assert.equal(sent.status, 'sent')
      ;(await deliver(client, fake.readAck!(sent.external_id))).assertStatus(200)
      const { messages } = await messagesOf(client)
      assert.equal(messages.find((m) => m.id === Number(sent.id)).status, 'read')
    })

    test('inbound media is downloaded and served to members of the provider only', async ({ client, assert }) => {
      await inbox(client)
      ;(await deliver(client, fake.image({ id: 'CONF-IMG-1', phone: PHONE }))).assertStatus(200)
      await drainQueues()
      const { messages } = await messagesOf(client)
      const attachment = messages[0].attachments[0]
      assert.equal(attachment.status, 'ready')
      const file = await fetch(`http://${process.env.HOST}:${process.env.PORT}${attachment.url}`, {
        headers: { authorization: admin.token },
      })
      assert.equal(file.status, 200)
      assert.isTrue(Buffer.from(await file.arrayBuffer()).equals(fake.imageBytes))
      const stranger = await createMember(null, 'admin')
      const foreign = await client
        .get(`/api/v1/providers/${stranger.provider.id}/attachments/${attachment.id}`)
        .header('authorization', stranger.token)
      foreign.assertStatus(404)
      const crossTenant = await client.get(attachment.url).header('authorization', stranger.token)
      crossTenant.assertStatus(404)
    })

    test('unknown events are acknowledged and store nothing', async ({ client, assert }) => {
      await inbox(client)
      ;(await deliver(client, fake.unknownEvent())).assertStatus(200)
      assert.deepEqual(await counts(admin.provider.id), { messages: 0, conversations: 0, contacts: 0 })
    })

    test('malformed bodies get the answer that stops retries and store nothing', async ({ client, assert }) => {
      await inbox(client)
      for (const body of fake.malformed()) {
        const answer = await deliver(client, body)
        // 400 from the plugin, 422 when the body parser already refuses a JSON that is not an object.
        assert.include(options.malformedStatuses ?? [400, 422], answer.status(), JSON.stringify(body).slice(0, 200))
      }
      assert.deepEqual(await counts(admin.provider.id), { messages: 0, conversations: 0, contacts: 0 })
    })

    if (options.webhookHeaders) {
      test('a call without the provider\'s secret header is refused and stores nothing', async ({ client, assert }) => {
        await inbox(client)
        const body = fake.text({ id: 'CONF-FORGED-1', phone: PHONE, text: 'forjada' }) as any
        ;(await client.post(webhookPath).json(body)).assertStatus(401)
        const wrong = Object.fromEntries(Object.keys(options.webhookHeaders!()).map((name) => [name, 'wrong-secret']))
        ;(await client.post(webhookPath).headers(wrong).json(body)).assertStatus(401)
        assert.deepEqual(await counts(admin.provider.id), { messages: 0, conversations: 0, contacts: 0 })
      })
    }

    test('an unknown webhook key is refused', async ({ client }) => {
      await inbox(client)
      const wrong = webhookPath.replace(/\/[^/]+$/, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      ;(await client.post(wrong).headers(options.webhookHeaders?.() ?? {}).json(fake.text({ id: 'X', phone: PHONE, text: 'x' }) as any)).assertStatus(404)
      void inboxId
    })
  })
}
