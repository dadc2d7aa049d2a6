import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import Team from '#models/team'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { FakeIxc } from '#tests/helpers/fakes/ixc_server'
import { FakeMkauth } from '#tests/helpers/fakes/mkauth_server'
import { FakeUazapi } from '#tests/helpers/fakes/uazapi_server'
import { oggVoiceNote } from '#tests/helpers/media'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { fixture } from '#tests/helpers/fixtures'

/**
 * Whole conversations: a customer writes on WhatsApp (the Evolution fake posts real webhooks), the AI
 * (the OpenAI fake, scripted) calls tools against a fake ISP system, and what the customer receives is
 * read back from the WhatsApp fake.
 */
interface World {
  admin: Member
  evolution: FakeEvolution
  ai: FakeOpenAi
  sgp: FakeSgp
  inboxPath: string
}

async function configure(client: ApiClient, world: Omit<World, 'inboxPath'>) {
  const base = `/api/v1/providers/${world.admin.provider.id}`
  const auth = world.admin.token
  ;(
    await client
      .put(`${base}/settings/ai`)
      .header('authorization', auth)
      .json({
        enabled: true,
        plugin: 'openai',
        config: { baseUrl: world.ai.baseUrl, apiKey: world.ai.apiKey, model: 'gpt-4o-mini', maxRetries: 0 },
        persona: { agentName: 'Ana' },
        debounceSeconds: 0.2,
      })
  ).assertStatus(200)
  ;(
    await client
      .put(`${base}/settings/isp`)
      .header('authorization', auth)
      .json({ plugin: 'sgp', config: { baseUrl: world.sgp.baseUrl, app: world.sgp.app, token: world.sgp.token } })
  ).assertStatus(200)
  const inbox = await client.post(`${base}/inboxes`).header('authorization', auth).json({ name: 'WhatsApp', plugin: 'evolution', config: world.evolution.config() })
  inbox.assertStatus(201)
  return new URL(inbox.body().webhookUrl).pathname
}

/** Everything the customer received, as text (media sends show their caption and the media kind). */
function received(evolution: FakeEvolution) {
  return evolution.sends().map((r) => (r.path.includes('sendText') ? String(r.body.text) : `[${r.body.mediatype ?? 'media'}] ${r.body.caption ?? ''}`))
}

async function say(client: ApiClient, world: World, id: string, text: string) {
  ;(await client.post(world.inboxPath).json(world.evolution.text({ id, text }))).assertStatus(200)
  await drainQueues(30_000)
}

async function conversationRow(world: World) {
  return db.from('conversations').where('provider_id', world.admin.provider.id).orderBy('id', 'desc').firstOrFail()
}

test.group('AI conversations end to end', (group) => {
  let world: World

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    const evolution = await new FakeEvolution().start()
    const ai = await FakeOpenAi.start()
    const sgp = await FakeSgp.start()
    const admin = await createMember(null, 'admin')
    world = { admin, evolution, ai, sgp, inboxPath: '' }
    await startTestWorkers()
    return async () => {
      await stopTestWorkers()
      await Promise.all([evolution.close(), ai.close(), sgp.close()])
      await truncate()
    }
  })

  test('CPF → the AI finds the contract → invoice request → PIX code, QR image and boleto reach WhatsApp', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    world.ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '123.456.789-09' } }])
    world.ai.replyText('Olá, Maria! Encontrei dois contratos: 10457 e 11902. Qual deles?')
    await say(client, world, 'C-1', 'Oi, meu CPF é 123.456.789-09')
    assert.include(received(world.evolution), 'Olá, Maria! Encontrei dois contratos: 10457 e 11902. Qual deles?')

    world.ai.replyToolCalls([{ name: 'send_open_invoices', arguments: { contractId: '10457' } }])
    world.ai.replyText('Pronto! Enviei sua fatura. Posso ajudar em algo mais?')
    await say(client, world, 'C-2', 'O 10457, quero a segunda via')

    const invoice = fixture('sgp-fatura2via-response.json').links[0]
    const texts = received(world.evolution)
    assert.include(texts, invoice.codigopix)
    assert.isTrue(texts.some((text) => text.includes(invoice.linhadigitavel)))
    assert.isTrue(texts.some((text) => text.includes('R$ 101,90')))
    assert.isTrue(texts.some((text) => text.startsWith('[image]')), 'the PIX QR image was sent')
    assert.equal(texts.at(-1), 'Pronto! Enviei sua fatura. Posso ajudar em algo mais?')

    const conversation = await conversationRow(world)
    assert.equal(conversation.status, 'bot')
    assert.isAbove(conversation.ai_turns, 1)
    // The tool results are visible to agents as system events, and the model never saw an SGP secret.
    const events = await db.from('messages').where({ conversation_id: conversation.id, type: 'event' })
    assert.isTrue(events.some((event) => event.content.includes('MARIA APARECIDA SOUZA')))
    assert.notMatch(JSON.stringify(world.ai.chatRequests), /senha|ppp_password|"login"/i)
  })

  test('a burst of customer messages gets one answer', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    world.ai.replyText('Oi! Como posso ajudar?')
    for (const [id, text] of [['B-1', 'Oi'], ['B-2', 'tudo bem?'], ['B-3', 'preciso de ajuda']]) {
      ;(await client.post(world.inboxPath).json(world.evolution.text({ id, text }))).assertStatus(200)
    }
    await drainQueues(30_000)
    assert.lengthOf(world.ai.chatRequests, 1)
    assert.deepEqual(received(world.evolution), ['Oi! Como posso ajudar?'])
  })

  test('no internet → offline → ticket opened → handed to the support team', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    const support = await Team.create({ providerId: world.admin.provider.id, name: 'Suporte técnico', autoAssign: false, maxOpenPerAgent: 0 })
    await client
      .put(`/api/v1/providers/${world.admin.provider.id}/settings/handover`)
      .header('authorization', world.admin.token)
      .json({ teams: { technical: support.id } })

    world.ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '12345678909' } }])
    world.ai.replyToolCalls([{ name: 'select_contract', arguments: { contractId: '10457' } }])
    world.ai.replyToolCalls([{ name: 'check_connection', arguments: {} }])
    world.ai.replyToolCalls([{ name: 'open_technical_ticket', arguments: { reason: 'no_connection', description: 'Sem internet, luz vermelha piscando' } }])
    world.ai.replyToolCalls([{ name: 'hand_over', arguments: { reason: 'technical', summary: 'Cliente offline, chamado aberto' } }])
    world.ai.replyText('Abri um chamado técnico para você e já passei para o nosso suporte.')
    await say(client, world, 'N-1', 'Estou sem internet, CPF 12345678909, contrato 10457, a luz está vermelha')

    const conversation = await conversationRow(world)
    assert.equal(conversation.status, 'pending')
    assert.equal(conversation.team_id, support.id)
    assert.equal(conversation.handover_reason, 'technical')
    const events = (await db.from('messages').where({ conversation_id: conversation.id, type: 'event' })).map((e) => e.content)
    assert.isTrue(events.some((e) => e.includes('offline')))
    assert.isTrue(events.some((e) => e.includes('protocolo')))
    assert.include(received(world.evolution), 'Abri um chamado técnico para você e já passei para o nosso suporte.')

    // The AI is out: a new customer message gets no AI answer.
    const requests = world.ai.chatRequests.length
    await say(client, world, 'N-2', 'Alô?')
    assert.lengthOf(world.ai.chatRequests, requests)
  })

  test('trust unlock refused is reported as SGP said', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    const state = { cpfCnpj: '12345678909' }
    void state
    world.ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '12345678909' } }])
    world.ai.replyToolCalls([{ name: 'request_trust_unlock', arguments: { contractId: '11902' } }])
    world.ai.replyToolCalls([{ name: 'request_trust_unlock', arguments: { contractId: '11902' } }])
    world.ai.reply({ text: 'Não foi possível liberar de novo este mês.' })
    await say(client, world, 'T-1', 'CPF 12345678909, me libera o 11902?')
    const conversation = await conversationRow(world)
    const events = (await db.from('messages').where({ conversation_id: conversation.id, type: 'event' })).map((e) => e.content)
    assert.isTrue(events.some((e) => e.includes('concedido')), events.join(' | '))
    assert.isTrue(events.some((e) => e.includes('recusado')), events.join(' | '))
  })

  test('AI server down → a polite message and a human takes over', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    world.ai.replyError(500, { times: 3 })
    await say(client, world, 'D-1', 'Oi, preciso de ajuda')
    const texts = received(world.evolution)
    assert.lengthOf(texts, 1)
    assert.match(texts[0], /atendente|equipe/)
    const conversation = await conversationRow(world)
    assert.equal(conversation.status, 'pending')
    assert.include(conversation.handover_summary, 'ai_unavailable')
  })

  test('the model invents an amount → the reply is blocked and a human takes over', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    world.ai.replyText('Sua fatura é de R$ 79,90 e vence dia 15/06.')
    await say(client, world, 'I-1', 'Quanto está minha fatura?')
    const texts = received(world.evolution)
    assert.notInclude(texts.join('\n'), 'R$ 79,90')
    assert.lengthOf(texts, 1) // only the polite hand-over message
    const conversation = await conversationRow(world)
    assert.equal(conversation.status, 'pending')
    assert.include(conversation.handover_summary, 'invented_data')
  })

  test('voice note → transcribed → answered; the transcript is stored with the message', async ({ client, assert }) => {
    await configure(client, world)
    const uazapi = await new FakeUazapi().start()
    try {
      uazapi.media.set('VOICE-AI-1', { data: oggVoiceNote(), mimetype: 'audio/ogg; codecs=opus' })
      const inbox = await client
        .post(`/api/v1/providers/${world.admin.provider.id}/inboxes`)
        .header('authorization', world.admin.token)
        .json({ name: 'Uazapi', plugin: 'uazapi', config: uazapi.config() })
      inbox.assertStatus(201)
      world.ai.transcribeAs({ text: 'Quero a segunda via da minha fatura' })
      world.ai.replyText('Claro! Me informe seu CPF, por favor.')
      ;(await client.post(new URL(inbox.body().webhookUrl).pathname).json(uazapi.audio({ id: 'VOICE-AI-1' }))).assertStatus(200)
      await drainQueues(30_000)

      const voice = await db.from('messages').where({ provider_id: world.admin.provider.id, external_id: 'VOICE-AI-1' }).firstOrFail()
      assert.equal(voice.metadata.transcript, 'Quero a segunda via da minha fatura')
      assert.include(JSON.stringify(world.ai.lastMessages), 'Quero a segunda via da minha fatura')
      assert.isTrue(uazapi.sends().some((r) => JSON.stringify(r.body).includes('Me informe seu CPF')))
    } finally {
      await uazapi.close()
    }
  })

  test('a human taking the conversation stops the AI at once', async ({ client, assert }) => {
    world.inboxPath = await configure(client, world)
    world.ai.replyText('Olá!')
    await say(client, world, 'H-1', 'Oi')
    const conversation = await conversationRow(world)
    ;(await client.post(`/api/v1/providers/${world.admin.provider.id}/conversations/${conversation.id}/take`).header('authorization', world.admin.token)).assertStatus(200)
    const requests = world.ai.chatRequests.length
    await say(client, world, 'H-2', 'Ainda está aí?')
    assert.lengthOf(world.ai.chatRequests, requests)
  })
})

test.group('AI with each ISP system', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  for (const system of ['sgp', 'ixc', 'mkauth'] as const) {
    test(`the same conversation works on ${system} by changing only the ISP setting`, async ({ client, assert, cleanup }) => {
      const evolution = await new FakeEvolution().start()
      const ai = await FakeOpenAi.start()
      const sgp = await FakeSgp.start()
      const ixc = await FakeIxc.start()
      const mkauth = await FakeMkauth.start()
      const admin = await createMember(null, 'admin')
      await startTestWorkers()
      cleanup(async () => {
        await stopTestWorkers()
        await Promise.all([evolution.close(), ai.close(), sgp.close(), ixc.close(), mkauth.close()])
      })
      const world: World = { admin, evolution, ai, sgp, inboxPath: '' }
      world.inboxPath = await configure(client, world)
      const config = {
        sgp: { baseUrl: sgp.baseUrl, app: sgp.app, token: sgp.token },
        ixc: { baseUrl: ixc.baseUrl, token: ixc.token },
        mkauth: { baseUrl: mkauth.baseUrl, clientId: mkauth.clientId, clientSecret: mkauth.clientSecret },
      }[system]
      ;(await client.put(`/api/v1/providers/${admin.provider.id}/settings/isp`).header('authorization', admin.token).json({ plugin: system, config })).assertStatus(200)

      // The scripted model picks the first contract it is shown, then asks for its invoices.
      ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '123.456.789-09' } }])
      ai.onUnscripted = (body) => {
        const last = body.messages.at(-1)
        const result = last?.role === 'tool' ? JSON.parse(last.content) : null
        if (result?.contracts) return { toolCalls: [{ name: 'send_open_invoices', arguments: { contractId: result.contracts[0].id } }] }
        return { text: 'Enviei a fatura em aberto.' }
      }
      await say(client, world, `X-${system}`, 'Quero a segunda via, CPF 123.456.789-09')

      const texts = received(evolution)
      assert.equal(texts.at(-1), 'Enviei a fatura em aberto.', texts.join(' | '))
      assert.isTrue(texts.some((text) => /Fatura com vencimento em \d{2}\/\d{2}\/\d{4}.*R\$ \d/.test(text)), texts.join(' | '))
    })
  }
})
