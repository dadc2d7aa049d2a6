import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Conversation from '#models/conversation'
import conversations from '#services/conversation_service'
import { createMember } from '#tests/helpers/tenancy'
import { addMessage, createConversation, createTeam, url } from '#tests/functional/workflow/helpers'

test.group('Inbox tab counters', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('count conversations and unread messages per tab, by the visibility rule', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const p = supervisor.provider
    const support = await createTeam(p.id, 'Suporte', [agent.user.id])
    const billing = await createTeam(p.id, 'Financeiro')
    await createConversation(p, { status: 'open', assigneeId: agent.user.id }) // each one has 2 unread
    await createConversation(p, { status: 'pending', teamId: support.id })
    await createConversation(p, { status: 'pending', teamId: billing.id }) // not the agent's team
    await createConversation(p, { status: 'bot' })
    await createConversation(p, { status: 'resolved', assigneeId: agent.user.id }) // no tab counts resolved ones

    const asAgent = await client.get(url(p.id, '/conversations/counts')).header('authorization', agent.token)
    asAgent.assertStatus(200)
    assert.deepEqual(asAgent.body(), {
      mine: { conversations: 1, unread: 2 },
      unassigned: { conversations: 1, unread: 2 },
      bot: { conversations: 0, unread: 0 },
    })

    const asSupervisor = await client.get(url(p.id, '/conversations/counts')).header('authorization', supervisor.token)
    assert.deepEqual(asSupervisor.body(), {
      mine: { conversations: 0, unread: 0 },
      unassigned: { conversations: 2, unread: 4 },
      bot: { conversations: 1, unread: 2 },
      all: { conversations: 4, unread: 8 },
    })

    // The list behind each tab holds what its counter says.
    const list = await client.get(url(p.id, '/conversations?assignee=none&status=pending')).header('authorization', supervisor.token)
    assert.lengthOf(list.body().data, 2)
  })

  test('snoozed conversations leave the tab counters until their time comes', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    await createConversation(p, { status: 'pending' })
    await createConversation(p, { status: 'pending', snoozedUntil: DateTime.now().plus({ hours: 2 }) })
    await createConversation(p, { status: 'pending', snoozedUntil: DateTime.now().minus({ minutes: 1 }) }) // its time has come
    const counts = await client.get(url(p.id, '/conversations/counts')).header('authorization', supervisor.token)
    assert.deepEqual(counts.body().all, { conversations: 2, unread: 4 })
    assert.deepEqual(counts.body().unassigned, { conversations: 2, unread: 4 })
    // The list the tab shows (snoozed=false) holds what its counter says; snoozed=true holds the other one.
    const shown = await client.get(url(p.id, '/conversations?status=pending&snoozed=false')).header('authorization', supervisor.token)
    assert.lengthOf(shown.body().data, 2)
    const snoozed = await client.get(url(p.id, '/conversations?status=pending&snoozed=true')).header('authorization', supervisor.token)
    assert.lengthOf(snoozed.body().data, 1)
  })

  test('another provider\'s member gets 404 and nothing of this provider is counted elsewhere', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const stranger = await createMember(null, 'admin')
    await createConversation(admin.provider, { status: 'pending' })
    ;(await client.get(url(admin.provider.id, '/conversations/counts')).header('authorization', stranger.token)).assertStatus(404)
    const own = await client.get(url(stranger.provider.id, '/conversations/counts')).header('authorization', stranger.token)
    assert.equal(own.body().all.conversations, 0)
    ;(await client.get(url(admin.provider.id, '/conversations/counts'))).assertStatus(401)
  })
})

test.group('The conversation history shows workflow events', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('take, transfer, resolve with reason and reopen each leave a private event line, in order, never sent', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const team = await createTeam(p.id, 'Financeiro')
    const conversation = await createConversation(p, { status: 'bot' })
    await addMessage(conversation, 'Quero a segunda via')
    const path = (action: string) => url(p.id, `/conversations/${conversation.id}/${action}`)
    const auth = { authorization: supervisor.token }
    const head = (await client.get(url(p.id, '/events')).headers(auth)).body().meta.lastSeq

    ;(await client.post(path('take')).headers(auth)).assertStatus(200)
    ;(await client.post(path('take')).headers(auth)).assertStatus(200) // already theirs: no second line
    ;(await client.post(path('transfer')).headers(auth).json({ teamId: team.id })).assertStatus(200)
    ;(await client.post(path('resolve')).headers(auth).json({ reason: 'Boleto enviado' })).assertStatus(200)
    ;(await client.post(path('reopen')).headers(auth)).assertStatus(200)

    const messages = (await client.get(path('messages?limit=50')).headers(auth)).body().data.reverse()
    const events = messages.filter((m: any) => m.type === 'event')
    assert.deepEqual(
      events.map((m: any) => [m.event.kind, m.event.actorName, m.event.teamName, m.event.reason]),
      [
        ['taken', supervisor.user.name, null, null],
        ['transferred', supervisor.user.name, 'Financeiro', null],
        ['resolved', supervisor.user.name, 'Financeiro', 'Boleto enviado'],
        ['reopened', supervisor.user.name, 'Financeiro', null],
      ]
    )
    assert.isTrue(events.every((m: any) => m.private && m.senderKind === 'system' && m.status === 'sent'))
    assert.equal(events[2].content, `${supervisor.user.name} resolved the conversation: Boleto enviado`)
    // Nothing goes to the customer's channel for them.
    const sends = await db.from('outbox').where('provider_id', p.id).where('queue', 'outbound').count('* as n').first()
    assert.equal(Number(sends?.n ?? 0), 0)

    // Live viewers of the conversation get each line as it happens.
    const missed = (await client.get(url(p.id, `/events?since=${head}`)).headers(auth)).body().data
    const lines = missed.filter((e: any) => e.channel === `providers/${p.id}/conversations/${conversation.id}` && e.event === 'message.created')
    assert.deepEqual(lines.map((e: any) => e.payload.message.event.kind), ['taken', 'transferred', 'resolved', 'reopened'])
  })

  test('a change that changes nothing or fails leaves no line', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const conversation = await createConversation(admin.provider, { status: 'resolved' })
    const path = (action: string) => url(admin.provider.id, `/conversations/${conversation.id}/${action}`)
    ;(await client.post(path('take')).header('authorization', admin.token)).assertStatus(409)
    ;(await client.post(path('resolve')).header('authorization', admin.token).json({})).assertStatus(200)
    ;(await client.post(path('transfer')).header('authorization', admin.token).json({ teamId: 999999 })).assertStatus(409)
    const messages = (await client.get(path('messages')).header('authorization', admin.token)).body().data
    assert.lengthOf(messages, 0)
  })

  test('a resolution by inactivity or by the AI leaves a line saying so, with no person named', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const idle = await createConversation(admin.provider, { status: 'open' })
    const byAi = await createConversation(admin.provider, { status: 'bot' })
    for (const [conversation, kind] of [[idle, 'inactivity'], [byAi, 'ai']] as const) {
      await db.transaction(async (trx) => {
        const locked = await Conversation.query({ client: trx }).where('id', conversation.id).forUpdate().firstOrFail()
        await conversations.resolveLocked(locked, trx, { kind, reason: kind === 'ai' ? 'Boleto enviado' : null })
      })
      const messages = (await client.get(url(admin.provider.id, `/conversations/${conversation.id}/messages`)).header('authorization', admin.token)).body().data
      assert.lengthOf(messages, 1)
      assert.deepInclude(messages[0].event, { kind: 'resolved', by: kind, actorName: null })
      assert.isTrue(messages[0].private)
    }
  })
})
