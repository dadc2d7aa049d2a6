import { test } from '@japa/runner'
import type { Group } from '@japa/runner/core'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { channels } from '#realtime/channels'
import catchup from '#services/realtime_catchup_service'
import realtime from '#services/realtime_service'
import { createMember } from '#tests/helpers/tenancy'
import { SseClient } from '#tests/helpers/sse_client'
import { createConversation, createTeam, url } from '#tests/functional/workflow/helpers'

/** Opens logged-in SSE connections for a group's tests and closes them after each test. */
function sseClients(group: Group) {
  const open: SseClient[] = []
  group.each.teardown(() => {
    for (const client of open.splice(0)) client.close()
  })
  return async (user: Parameters<typeof SseClient.login>[0]) => {
    const client = await SseClient.login(user)
    await client.connect()
    open.push(client)
    return client
  }
}

test.group('Realtime: audiences over a real SSE connection', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  const sse = sseClients(group)

  test('two supervisors of one provider see each other\'s actions; another provider sees none', async ({ client, assert }) => {
    const alice = await createMember(null, 'supervisor')
    const bob = await createMember(alice.provider, 'supervisor')
    const outsider = await createMember(null, 'admin')
    const conversation = await createConversation(alice.provider, { status: 'pending' })

    const aliceSse = await sse(alice.user)
    const bobSse = await sse(bob.user)
    const outsiderSse = await sse(outsider.user)
    assert.equal(await aliceSse.subscribe(channels.supervision(alice.provider.id)), 204)
    assert.equal(await bobSse.subscribe(channels.supervision(alice.provider.id)), 204)
    assert.equal(await outsiderSse.subscribe(channels.supervision(outsider.provider.id)), 204)
    // Someone else's channels are refused outright.
    assert.equal(await outsiderSse.subscribe(channels.supervision(alice.provider.id)), 400)
    assert.equal(await outsiderSse.subscribe(channels.conversation(alice.provider.id, conversation.id)), 400)

    ;(await client.post(url(alice.provider.id, `/conversations/${conversation.id}/take`)).header('authorization', alice.token)).assertStatus(200)
    const seenByBob = await bobSse.waitFor((f) => f.event === 'conversation.assigned' && f.payload.id === conversation.id)
    assert.equal(seenByBob.payload.assigneeId, alice.user.id)
    assert.equal(seenByBob.payload.status, 'open')

    ;(await client.post(url(alice.provider.id, `/conversations/${conversation.id}/resolve`)).header('authorization', bob.token).json({ reason: 'done' })).assertStatus(200)
    const seenByAlice = await aliceSse.waitFor((f) => f.event === 'conversation.resolved' && f.payload.id === conversation.id)
    assert.equal(seenByAlice.payload.resolutionReason, 'done')
    assert.isAbove(seenByAlice.seq, seenByBob.seq)

    // Barrier: an event the outsider does receive, published after all of the above.
    ;(await client.post(url(outsider.provider.id, '/presence')).header('authorization', outsider.token).json({ status: 'online' })).assertStatus(200)
    assert.equal(await outsiderSse.subscribe(channels.presence(outsider.provider.id)), 204)
    ;(await client.post(url(outsider.provider.id, '/presence')).header('authorization', outsider.token).json({ status: 'away' })).assertStatus(200)
    await outsiderSse.waitFor((f) => f.event === 'presence.updated' && f.payload.status === 'away')
    assert.deepEqual(outsiderSse.events().map((f) => f.event), ['presence.updated'])
  })
})

test.group('Realtime: what an agent may receive', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  const sse = sseClients(group)

  test('old events are pruned; a client asking for them is told to reload (410), newer ones still catch up', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const other = await createMember(null, 'admin')
    const p = admin.provider.id
    const first = await createConversation(admin.provider, { status: 'pending' })
    ;(await client.post(url(p, `/conversations/${first.id}/take`)).header('authorization', admin.token)).assertStatus(200)
    const theirs = await createConversation(other.provider, { status: 'pending' })
    ;(await client.post(url(other.provider.id, `/conversations/${theirs.id}/take`)).header('authorization', other.token)).assertStatus(200)
    const head = (await client.get(url(p, '/events')).header('authorization', admin.token)).body().meta.lastSeq
    await db.from('realtime_events').where('provider_id', p).update({ created_at: new Date(Date.now() - 100 * 3_600_000) })

    assert.isAtLeast(await catchup.prune(new Date(Date.now() - 72 * 3_600_000)), 1)
    const second = await createConversation(admin.provider, { status: 'pending' })
    ;(await client.post(url(p, `/conversations/${second.id}/take`)).header('authorization', admin.token)).assertStatus(200)

    const stale = await client.get(url(p, '/events')).qs({ since: 0 }).header('authorization', admin.token)
    stale.assertStatus(410)
    assert.equal(stale.body().errors[0].field, 'since')
    const fresh = await client.get(url(p, '/events')).qs({ since: head }).header('authorization', admin.token)
    fresh.assertStatus(200)
    assert.isTrue(fresh.body().data.some((e: any) => e.payload.id === second.id))
    // Another provider's recent events are untouched.
    const theirsEvents = await client.get(url(other.provider.id, '/events')).qs({ since: 0 }).header('authorization', other.token)
    theirsEvents.assertStatus(200)
    assert.isTrue(theirsEvents.body().data.some((e: any) => e.payload.id === theirs.id))
  })

  test('where agents see every conversation, they follow them all on the supervision channel', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const colleague = await createMember(admin.provider, 'agent')
    admin.provider.settings = { agentsSeeAllConversations: true }
    await admin.provider.save()
    const theirs = await createConversation(admin.provider, { status: 'open', assigneeId: colleague.user.id })
    const p = admin.provider.id

    const agentSse = await sse(agent.user)
    assert.equal(await agentSse.subscribe(channels.supervision(p)), 204)
    ;(await client.post(url(p, `/conversations/${theirs.id}/resolve`)).header('authorization', colleague.token).json({})).assertStatus(200)
    const frame = await agentSse.waitFor((f, channel) => channel === channels.supervision(p) && f.event === 'conversation.resolved')
    assert.equal(frame.payload.id, theirs.id)
    const missed = await client.get(url(p, '/events')).qs({ since: 0 }).header('authorization', agent.token)
    assert.isTrue(missed.body().data.some((e: any) => e.channel === channels.supervision(p) && e.payload.id === theirs.id))
  })

  test('an agent is refused the channels of conversations and teams they cannot see, and supervision', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const colleague = await createMember(admin.provider, 'agent')
    const billing = await createTeam(admin.provider.id, 'Financeiro', [colleague.user.id])
    const support = await createTeam(admin.provider.id, 'Suporte', [agent.user.id])
    const othersTeam = await createConversation(admin.provider, { status: 'pending', teamId: billing.id })
    const othersAssigned = await createConversation(admin.provider, { status: 'open', assigneeId: colleague.user.id })
    const withBot = await createConversation(admin.provider, { status: 'bot' })
    const mine = await createConversation(admin.provider, { status: 'open', assigneeId: agent.user.id })
    const myTeam = await createConversation(admin.provider, { status: 'pending', teamId: support.id })

    const agentSse = await sse(agent.user)
    const p = admin.provider.id
    assert.equal(await agentSse.subscribe(channels.conversation(p, othersTeam.id)), 400)
    assert.equal(await agentSse.subscribe(channels.conversation(p, othersAssigned.id)), 400)
    assert.equal(await agentSse.subscribe(channels.conversation(p, withBot.id)), 400)
    assert.equal(await agentSse.subscribe(channels.team(p, billing.id)), 400)
    assert.equal(await agentSse.subscribe(channels.supervision(p)), 400)
    assert.equal(await agentSse.subscribe(channels.bot(p)), 400)
    assert.equal(await agentSse.subscribe(channels.user(colleague.user.id)), 400)
    assert.equal(await agentSse.subscribe(channels.conversation(p, mine.id)), 204)
    assert.equal(await agentSse.subscribe(channels.conversation(p, myTeam.id)), 204)
    assert.equal(await agentSse.subscribe(channels.team(p, support.id)), 204)
    assert.equal(await agentSse.subscribe(channels.user(agent.user.id)), 204)
  })

  test('an agent hears about conversations of their team and their own, never those of another team', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const colleague = await createMember(supervisor.provider, 'agent')
    const support = await createTeam(supervisor.provider.id, 'Suporte', [agent.user.id])
    const billing = await createTeam(supervisor.provider.id, 'Financeiro', [colleague.user.id])
    const p = supervisor.provider.id
    const forSupport = await createConversation(supervisor.provider, { status: 'bot' })
    const forBilling = await createConversation(supervisor.provider, { status: 'bot' })

    const agentSse = await sse(agent.user)
    assert.equal(await agentSse.subscribe(channels.team(p, support.id)), 204)
    assert.equal(await agentSse.subscribe(channels.user(agent.user.id)), 204)
    assert.equal(await agentSse.subscribe(channels.presence(p)), 204)

    const auth = { authorization: supervisor.token }
    ;(await client.post(url(p, `/conversations/${forBilling.id}/transfer`)).headers(auth).json({ teamId: billing.id })).assertStatus(200)
    ;(await client.post(url(p, `/conversations/${forSupport.id}/transfer`)).headers(auth).json({ teamId: support.id })).assertStatus(200)
    const queued = await agentSse.waitFor((f) => f.event === 'conversation.updated' && f.payload.id === forSupport.id)
    assert.equal(queued.payload.status, 'pending')
    assert.equal(queued.payload.teamId, support.id)

    ;(await client.post(url(p, `/conversations/${forSupport.id}/assign`)).headers(auth).json({ agentId: agent.user.id })).assertStatus(200)
    const assigned = await agentSse.waitFor((f, channel) => f.event === 'conversation.assigned' && channel === channels.user(agent.user.id))
    assert.equal(assigned.payload.id, forSupport.id)

    // Barrier on a channel the agent receives, then nothing about the billing conversation arrived.
    ;(await client.post(url(p, '/presence')).headers(auth).json({ status: 'online' })).assertStatus(200)
    await agentSse.waitFor((f) => f.event === 'presence.updated' && f.payload.userId === supervisor.user.id)
    assert.notInclude(agentSse.received.map((r) => r.frame.payload.id), forBilling.id)
  })

  test('a client that reconnects gets what it missed from GET /events?since=', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const p = supervisor.provider.id
    const first = await createConversation(supervisor.provider, { status: 'pending' })
    const second = await createConversation(supervisor.provider, { status: 'pending' })

    const before = await sse(supervisor.user)
    assert.equal(await before.subscribe(channels.supervision(p)), 204)
    ;(await client.post(url(p, `/conversations/${first.id}/take`)).header('authorization', agent.token)).assertStatus(200)
    const lastSeen = await before.waitFor((f) => f.event === 'conversation.assigned')
    before.close()

    // While disconnected:
    ;(await client.post(url(p, `/conversations/${first.id}/resolve`)).header('authorization', agent.token)).assertStatus(200)
    ;(await client.put(url(p, `/conversations/${second.id}/priority`)).header('authorization', agent.token).json({ priority: 'high' })).assertStatus(200)

    const after = await sse(supervisor.user)
    assert.equal(await after.subscribe(channels.supervision(p)), 204)
    const missed = await after.fetch(url(p, `/events?since=${lastSeen.seq}`))
    assert.equal(missed.status, 200)
    const body = (await missed.json()) as any
    const onSupervision = body.data.filter((e: any) => e.channel === channels.supervision(p))
    assert.deepEqual(
      onSupervision.map((e: any) => [e.event, e.payload.id]),
      [
        ['conversation.resolved', first.id],
        ['conversation.updated', second.id],
      ]
    )
    assert.isTrue(body.data.every((e: any) => e.seq > lastSeen.seq))
    assert.deepEqual(body.data.map((e: any) => e.seq), [...body.data.map((e: any) => e.seq)].sort((a: number, b: number) => a - b))
    assert.isNull(body.meta.nextCursor)
    // lastSeq also covers events it may not see (an agent's user channel), so the next ask starts after them.
    assert.isAtLeast(body.meta.lastSeq, body.data[body.data.length - 1].seq)
    assert.lengthOf(after.events(), 0)
  })
})

test.group('Realtime: the catch-up endpoint', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('returns only events on channels the user may see now, of their own provider', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const colleague = await createMember(supervisor.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const p = supervisor.provider.id
    const mine = await createConversation(supervisor.provider, { status: 'pending' })
    const theirs = await createConversation(supervisor.provider, { status: 'pending' })
    const elsewhere = await createConversation(outsider.provider, { status: 'pending' })

    const head = (await client.get(url(p, '/events')).header('authorization', agent.token)).body().meta.lastSeq
    ;(await client.post(url(p, `/conversations/${mine.id}/take`)).header('authorization', agent.token)).assertStatus(200)
    ;(await client.post(url(p, `/conversations/${theirs.id}/take`)).header('authorization', colleague.token)).assertStatus(200)
    ;(await client.post(url(outsider.provider.id, `/conversations/${elsewhere.id}/take`)).header('authorization', outsider.token)).assertStatus(200)

    const forAgent = await client.get(url(p, `/events?since=${head}`)).header('authorization', agent.token)
    forAgent.assertStatus(200)
    const channelsSeen = new Set(forAgent.body().data.map((e: any) => e.channel))
    assert.includeMembers([...channelsSeen], [channels.user(agent.user.id), channels.conversation(p, mine.id)])
    assert.notInclude([...channelsSeen], channels.supervision(p))
    assert.notInclude([...channelsSeen], channels.conversation(p, theirs.id))
    assert.notInclude([...channelsSeen], channels.user(colleague.user.id))
    assert.isTrue(forAgent.body().data.every((e: any) => e.payload.id !== theirs.id || e.channel === channels.user(agent.user.id)))

    const forSupervisor = await client.get(url(p, `/events?since=${head}`)).header('authorization', supervisor.token)
    const ids = forSupervisor.body().data.filter((e: any) => e.channel === channels.supervision(p)).map((e: any) => e.payload.id)
    assert.sameMembers(ids, [mine.id, theirs.id])

    // Another provider's member gets 404, and their own feed holds none of this provider's events.
    ;(await client.get(url(p, `/events?since=0`)).header('authorization', outsider.token)).assertStatus(404)
    const own = await client.get(url(outsider.provider.id, `/events?since=0`)).header('authorization', outsider.token)
    assert.isTrue(own.body().data.every((e: any) => !String(e.channel).startsWith(`providers/${p}/`)))
    // Conversation events carry the conversation, message events (the take's history line) carry it beside the message.
    assert.isTrue(own.body().data.every((e: any) => (e.payload.conversation?.id ?? e.payload.id) === elsewhere.id))
  })

  test('pages with limit and validates since', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider.id
    const conversation = await createConversation(supervisor.provider, { status: 'pending' })
    for (const priority of ['low', 'medium', 'high']) {
      ;(await client.put(url(p, `/conversations/${conversation.id}/priority`)).header('authorization', supervisor.token).json({ priority })).assertStatus(200)
    }
    const page1 = await client.get(url(p, '/events?since=0&limit=2')).header('authorization', supervisor.token)
    // An event comes once per channel the viewer follows, all of them on one page (which may pass the limit by those).
    assert.isAtLeast(page1.body().data.length, 2)
    assert.isNotNull(page1.body().meta.nextCursor)
    const page2 = await client.get(url(p, `/events?since=${page1.body().meta.lastSeq}&limit=500`)).header('authorization', supervisor.token)
    const all = [...page1.body().data, ...page2.body().data]
    const keys = all.map((e: any) => `${e.seq}|${e.channel}`)
    assert.equal(new Set(keys).size, keys.length, 'nothing comes twice')
    const seqs = all.map((e: any) => e.seq)
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b))
    assert.equal(new Set(seqs).size, 3, 'the three priority changes')
    assert.isNull(page2.body().meta.nextCursor)

    ;(await client.get(url(p, '/events?since=-1')).header('authorization', supervisor.token)).assertStatus(422)
    ;(await client.get(url(p, '/events?since=abc')).header('authorization', supervisor.token)).assertStatus(422)
  })
})

test.group('Realtime: numbering after commit', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  const sse = sseClients(group)

  test('an event committed late is numbered after the ones committed before it, so catch-up never skips it', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const p = admin.provider.id
    const stream = await sse(admin.user)
    assert.equal(await stream.subscribe(channels.supervision(p)), 204)
    const events = (since: number) => client.get(url(p, '/events')).qs({ since }).header('authorization', admin.token)
    const head = (await client.get(url(p, '/events')).header('authorization', admin.token)).body().meta.lastSeq

    // A transaction stores an event and stays open while another one stores and commits its own.
    const slow = await db.transaction()
    await realtime.publish({ providerId: p, audience: channels.supervision(p), event: 'inbox.status', payload: { order: 'late' } }, slow)
    await realtime.publish({ providerId: p, audience: channels.supervision(p), event: 'inbox.status', payload: { order: 'early' } })
    const first = await events(head)
    first.assertStatus(200)
    assert.deepEqual(first.body().data.map((e: any) => e.payload.order), ['early'])
    const early = await stream.waitFor((f) => f.payload.order === 'early')

    await slow.commit()
    const late = await stream.waitFor((f) => f.payload.order === 'late')
    assert.isAbove(late.seq, early.seq)
    const second = await events(first.body().meta.lastSeq)
    assert.deepEqual(second.body().data.map((e: any) => e.payload.order), ['late'])
  })

  test('an event left without a number (its process died after the commit) is numbered and pushed by the sweep', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const p = admin.provider.id
    const stream = await sse(admin.user)
    assert.equal(await stream.subscribe(channels.supervision(p)), 204)
    await db.table('realtime_events').insert({ provider_id: p, channels: [channels.supervision(p)], event: 'inbox.status', payload: JSON.stringify({ order: 'orphan' }) })

    await realtime.sweep()
    const frame = await stream.waitFor((f) => f.payload.order === 'orphan')
    const row = await db.from('realtime_events').where('provider_id', p).firstOrFail()
    assert.equal(Number(row.seq), frame.seq)
    // A repeated sweep numbers nothing twice.
    await realtime.sweep()
    assert.lengthOf(await db.from('realtime_events').where('provider_id', p), 1)
    assert.equal(Number((await db.from('realtime_events').where('provider_id', p).firstOrFail()).seq), frame.seq)
  })
})
