import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import { parse } from 'csv-parse/sync'
import Conversation from '#models/conversation'
import presence, { PRESENCE_TTL_MS } from '#services/presence_service'
import { channels } from '#realtime/channels'
import { createMember } from '#tests/helpers/tenancy'
import { SseClient } from '#tests/helpers/sse_client'
import { createConversation, createTeam, url } from '#tests/functional/workflow/helpers'

test.group('Audit log', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('admins filter it and export the same filter as CSV; others may not; isolated', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const supervisor = await createMember(admin.provider, 'supervisor')
    const outsider = await createMember(null, 'admin')
    const p = admin.provider.id
    const conversation = await createConversation(admin.provider, { status: 'pending' })
    ;(await client.post(url(p, `/conversations/${conversation.id}/take`)).header('authorization', supervisor.token)).assertStatus(200)
    ;(await client.post(url(p, `/conversations/${conversation.id}/resolve`)).header('authorization', supervisor.token).json({ reason: 'ok, "feito"' })).assertStatus(200)
    ;(await client.post(url(p, '/teams')).header('authorization', admin.token).json({ name: 'Suporte' })).assertStatus(201)
    ;(await client.post(url(outsider.provider.id, '/teams')).header('authorization', outsider.token).json({ name: 'Deles' })).assertStatus(201)

    const all = await client.get(url(p, '/audit-logs')).header('authorization', admin.token)
    all.assertStatus(200)
    assert.deepEqual(all.body().data.map((l: any) => l.action), ['team.created', 'conversation.resolved', 'conversation.taken'])
    const filtered = await client.get(url(p, `/audit-logs?action=conversation.&userId=${supervisor.user.id}&limit=1`)).header('authorization', admin.token)
    assert.deepEqual(filtered.body().data.map((l: any) => l.action), ['conversation.resolved'])
    const next = await client.get(url(p, `/audit-logs?action=conversation.&cursor=${filtered.body().meta.nextCursor}`)).header('authorization', admin.token)
    assert.deepEqual(next.body().data.map((l: any) => l.action), ['conversation.taken'])
    const future = await client.get(url(p, '/audit-logs?from=2999-01-01T00:00:00Z')).header('authorization', admin.token)
    assert.lengthOf(future.body().data, 0)

    const csv = await client.get(url(p, '/audit-logs/export?action=conversation.resolved')).header('authorization', admin.token)
    csv.assertStatus(200)
    assert.match(csv.header('content-type') ?? '', /text\/csv/)
    const rows = parse(csv.text(), { columns: true }) as Record<string, string>[]
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].action, 'conversation.resolved')
    assert.equal(rows[0].userEmail, supervisor.user.email)
    assert.equal(JSON.parse(rows[0].after).resolutionReason, 'ok, "feito"')

    ;(await client.get(url(p, '/audit-logs')).header('authorization', supervisor.token)).assertStatus(403)
    ;(await client.get(url(p, '/audit-logs/export')).header('authorization', supervisor.token)).assertStatus(403)
    ;(await client.get(url(p, '/audit-logs')).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.get(url(p, '/audit-logs?action=DROP TABLE')).header('authorization', admin.token)).assertStatus(422)
    ;(await client.get(url(p, '/audit-logs?from=yesterday')).header('authorization', admin.token)).assertStatus(422)
    const theirs = await client.get(url(outsider.provider.id, '/audit-logs')).header('authorization', outsider.token)
    assert.deepEqual(theirs.body().data.map((l: any) => l.action), ['team.created'])
  })
})

test.group('Staff chat', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('direct messages arrive on the recipient\'s user channel with unread counts; read clears them', async ({ client, assert }) => {
    const alice = await createMember(null, 'agent')
    const bob = await createMember(alice.provider, 'supervisor')
    const outsider = await createMember(null, 'agent')
    const p = alice.provider.id
    const bobSse = await SseClient.login(bob.user)
    await bobSse.connect()
    try {
      assert.equal(await bobSse.subscribe(channels.user(bob.user.id)), 204)
      const sent = await client.post(url(p, '/staff-messages')).header('authorization', alice.token).json({ recipientId: bob.user.id, content: 'Pode olhar o chamado 42?' })
      sent.assertStatus(201)
      const frame = await bobSse.waitFor((f) => f.event === 'staff.message')
      assert.equal(frame.payload.content, 'Pode olhar o chamado 42?')
      assert.equal(frame.payload.unreadFromSender, 1)
    } finally {
      bobSse.close()
    }
    ;(await client.post(url(p, '/staff-messages')).header('authorization', alice.token).json({ recipientId: bob.user.id, content: 'Obrigada' })).assertStatus(201)
    ;(await client.post(url(p, '/staff-messages')).header('authorization', bob.token).json({ recipientId: alice.user.id, content: 'Claro' })).assertStatus(201)

    const unread = await client.get(url(p, '/staff-messages/unread')).header('authorization', bob.token)
    assert.deepEqual(unread.body(), { total: 2, bySender: [{ userId: alice.user.id, count: 2 }] })
    const thread = await client.get(url(p, `/staff-messages?with=${alice.user.id}`)).header('authorization', bob.token)
    assert.deepEqual(thread.body().data.map((m: any) => m.content), ['Claro', 'Obrigada', 'Pode olhar o chamado 42?'])
    ;(await client.post(url(p, '/staff-messages/read')).header('authorization', bob.token).json({ with: alice.user.id })).assertBodyContains({ marked: 2 })
    assert.deepEqual((await client.get(url(p, '/staff-messages/unread')).header('authorization', bob.token)).body(), { total: 0, bySender: [] })

    ;(await client.post(url(p, '/staff-messages')).header('authorization', alice.token).json({ recipientId: outsider.user.id, content: 'oi' })).assertStatus(422)
    ;(await client.post(url(p, '/staff-messages')).header('authorization', alice.token).json({ recipientId: alice.user.id, content: 'eu' })).assertStatus(422)
    ;(await client.post(url(p, '/staff-messages')).header('authorization', alice.token).json({ recipientId: bob.user.id, content: '' })).assertStatus(422)
    ;(await client.get(url(p, `/staff-messages?with=${alice.user.id}`)).header('authorization', outsider.token)).assertStatus(404)
    const outsiderThread = await client.get(url(outsider.provider.id, `/staff-messages?with=${alice.user.id}`)).header('authorization', outsider.token)
    assert.lengthOf(outsiderThread.body().data, 0)
  })
})

test.group('Presence and auto-assignment', (group) => {
  group.each.setup(async () => {
    await redis.flushdb()
    return testUtils.db().truncate()
  })

  test('heartbeats set online/away/offline; the list shows every member; validation and isolation', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const outsider = await createMember(null, 'agent')
    const p = admin.provider.id
    ;(await client.post(url(p, '/presence')).header('authorization', agent.token).json({ status: 'online' })).assertStatus(200)
    ;(await client.post(url(p, '/presence')).header('authorization', admin.token).json({ status: 'away' })).assertStatus(200)
    const list = await client.get(url(p, '/presence')).header('authorization', agent.token)
    assert.sameDeepMembers(
      list.body().data.map((m: any) => ({ userId: m.userId, status: m.status })),
      [{ userId: agent.user.id, status: 'online' }, { userId: admin.user.id, status: 'away' }]
    )
    ;(await client.post(url(p, '/presence')).header('authorization', agent.token).json({ status: 'offline' })).assertStatus(200)
    const after = await client.get(url(p, '/presence')).header('authorization', admin.token)
    assert.equal(after.body().data.find((m: any) => m.userId === agent.user.id).status, 'offline')
    ;(await client.post(url(p, '/presence')).header('authorization', agent.token).json({ status: 'busy' })).assertStatus(422)
    ;(await client.get(url(p, '/presence')).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.post(url(p, '/presence')).header('authorization', outsider.token).json({ status: 'online' })).assertStatus(404)
  })

  test('a member whose heartbeats stop is announced offline by the sweep, once', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const p = admin.provider.id
    ;(await client.post(url(p, '/presence')).header('authorization', agent.token).json({ status: 'online' })).assertStatus(200)
    const before = (await client.get(url(p, '/events')).qs({ since: 0 }).header('authorization', admin.token)).body().data
    const since = before.at(-1)?.seq ?? 0

    // Nothing is due yet; then the key really expires (the laptop was closed) and the sweep runs later.
    assert.equal(await presence.sweepExpired(), 0)
    await redis.pexpire(`presence:${p}:${agent.user.id}`, 1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const later = Date.now() + PRESENCE_TTL_MS + 1000
    assert.equal(await presence.sweepExpired(later), 1)
    assert.equal(await presence.sweepExpired(later), 0)

    const events = (await client.get(url(p, '/events')).qs({ since }).header('authorization', admin.token)).body().data
    const offline = events.filter((e: any) => e.event === 'presence.updated')
    assert.lengthOf(offline, 1)
    assert.deepEqual(offline[0].payload, { userId: agent.user.id, status: 'offline' })
    const list = await client.get(url(p, '/presence')).header('authorization', admin.token)
    assert.equal(list.body().data.find((m: any) => m.userId === agent.user.id).status, 'offline')
  })

  test('round robin among online members under the capacity limit; waiting ones go out when someone comes online', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const ana = await createMember(supervisor.provider, 'agent')
    const bia = await createMember(supervisor.provider, 'agent')
    const caio = await createMember(supervisor.provider, 'agent')
    const p = supervisor.provider.id
    const team = await createTeam(p, 'Suporte', [ana.user.id, bia.user.id, caio.user.id], { autoAssign: true, maxOpenPerAgent: 2 })
    for (const member of [ana, bia]) {
      ;(await client.post(url(p, '/presence')).header('authorization', member.token).json({ status: 'online' })).assertStatus(200)
    }
    // Caio is offline: never chosen.
    const assignees: (number | null)[] = []
    for (let i = 0; i < 5; i++) {
      const conversation = await createConversation(supervisor.provider, { status: 'bot' })
      const response = await client.post(url(p, `/conversations/${conversation.id}/transfer`)).header('authorization', supervisor.token).json({ teamId: team.id })
      response.assertStatus(200)
      assignees.push((await Conversation.findOrFail(conversation.id)).assigneeId)
    }
    const [first, second] = [ana.user.id, bia.user.id].sort((a, b) => a - b)
    assert.deepEqual(assignees, [first, second, first, second, null])
    const waiting = await Conversation.query().where({ providerId: p, status: 'pending' }).firstOrFail()
    assert.equal(waiting.teamId, team.id)

    ;(await client.post(url(p, '/presence')).header('authorization', caio.token).json({ status: 'online' })).assertStatus(200)
    await waiting.refresh()
    assert.equal(waiting.status, 'open')
    assert.equal(waiting.assigneeId, caio.user.id)
  })
})
