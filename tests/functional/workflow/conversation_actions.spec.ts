import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditLog from '#models/audit_log'
import Conversation from '#models/conversation'
import { conversationHooks } from '#services/conversation_service'
import { createMember } from '#tests/helpers/tenancy'
import { channels } from '#realtime/channels'
import { SseClient } from '#tests/helpers/sse_client'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { createContact, createConversation, createInbox, createTeam, url } from '#tests/functional/workflow/helpers'

test.group('Conversation actions', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an agent takes a bot conversation: it is open, theirs, handed over, and audited', async ({ client, assert }) => {
    const agent = await createMember(null, 'agent')
    agent.provider.settings = { agentsSeeBotConversations: true }
    await agent.provider.save()
    const conversation = await createConversation(agent.provider, { status: 'bot' })

    const response = await client.post(url(agent.provider.id, `/conversations/${conversation.id}/take`)).header('authorization', agent.token)
    response.assertStatus(200)
    response.assertBodyContains({ id: conversation.id, status: 'open', assigneeId: agent.user.id, hadHuman: true })

    await conversation.refresh()
    // The AI answers only `bot` conversations: taking it is what stops the AI.
    assert.equal(conversation.status, 'open')
    assert.isNotNull(conversation.handedOverAt)
    const log = await AuditLog.query().where({ providerId: agent.provider.id, action: 'conversation.taken' }).firstOrFail()
    assert.equal(log.userId, agent.user.id)
    assert.deepEqual(log.before, { status: 'bot', assigneeId: null })
    assert.deepEqual(log.after, { status: 'open', assigneeId: agent.user.id })
    assert.isNotNull(log.ip)
  })

  test('an agent cannot take a conversation assigned to someone else; a supervisor can', async ({ client }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const other = await createMember(supervisor.provider, 'agent')
    supervisor.provider.settings = { agentsSeeAllConversations: true }
    await supervisor.provider.save()
    const conversation = await createConversation(supervisor.provider, { status: 'open', assigneeId: other.user.id })

    ;(await client.post(url(supervisor.provider.id, `/conversations/${conversation.id}/take`)).header('authorization', agent.token)).assertStatus(409)
    const taken = await client.post(url(supervisor.provider.id, `/conversations/${conversation.id}/take`)).header('authorization', supervisor.token)
    taken.assertStatus(200)
    taken.assertBodyContains({ assigneeId: supervisor.user.id })
  })

  test('assign and transfer to an agent, a team (back to pending) and the AI', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const team = await createTeam(supervisor.provider.id, 'Financeiro')
    const conversation = await createConversation(supervisor.provider, { status: 'pending' })
    const path = (action: string) => url(supervisor.provider.id, `/conversations/${conversation.id}/${action}`)
    const auth = { authorization: supervisor.token }

    ;(await client.post(path('assign')).headers(auth).json({ agentId: agent.user.id })).assertBodyContains({ status: 'open', assigneeId: agent.user.id })
    const toTeam = await client.post(path('transfer')).headers(auth).json({ teamId: team.id })
    toTeam.assertStatus(200)
    toTeam.assertBodyContains({ status: 'pending', assigneeId: null, teamId: team.id, transferCount: 1 })
    ;(await client.post(path('transfer')).headers(auth).json({ agentId: agent.user.id })).assertBodyContains({ status: 'open', assigneeId: agent.user.id, transferCount: 2 })
    ;(await client.post(path('transfer')).headers(auth).json({ to: 'bot' })).assertBodyContains({ status: 'bot', assigneeId: null, transferCount: 3 })

    const actions = await AuditLog.query().where('targetId', String(conversation.id)).orderBy('id').select('action')
    assert.deepEqual(actions.map((a) => a.action), ['conversation.assigned', 'conversation.transferred', 'conversation.transferred', 'conversation.transferred'])
  })

  test('resolve with a reason runs the resolution hooks in the transaction; reopen brings it back', async ({ client, assert }) => {
    const agent = await createMember(null, 'agent')
    const conversation = await createConversation(agent.provider, { status: 'open', assigneeId: agent.user.id })
    const seen: { id: number; status: string }[] = []
    const off = conversationHooks.onResolved(async (c) => void seen.push({ id: c.id, status: c.status }))
    try {
      const resolved = await client.post(url(agent.provider.id, `/conversations/${conversation.id}/resolve`)).header('authorization', agent.token).json({ reason: 'boleto enviado' })
      resolved.assertStatus(200)
      resolved.assertBodyContains({ status: 'resolved', resolvedByKind: 'agent', resolutionReason: 'boleto enviado' })
      // Resolving twice changes nothing and does not run the hooks again.
      ;(await client.post(url(agent.provider.id, `/conversations/${conversation.id}/resolve`)).header('authorization', agent.token)).assertStatus(200)
    } finally {
      off()
    }
    assert.deepEqual(seen, [{ id: conversation.id, status: 'resolved' }])

    const reopened = await client.post(url(agent.provider.id, `/conversations/${conversation.id}/reopen`)).header('authorization', agent.token)
    reopened.assertStatus(200)
    reopened.assertBodyContains({ status: 'open', assigneeId: agent.user.id, resolvedAt: null })
    ;(await client.post(url(agent.provider.id, `/conversations/${conversation.id}/reopen`)).header('authorization', agent.token)).assertStatus(409)
  })

  test('a failing resolution hook rolls the resolution back', async ({ client, assert }) => {
    const agent = await createMember(null, 'agent')
    const conversation = await createConversation(agent.provider, { status: 'open', assigneeId: agent.user.id })
    const off = conversationHooks.onResolved(async () => {
      throw new Error('survey could not be scheduled')
    })
    try {
      ;(await client.post(url(agent.provider.id, `/conversations/${conversation.id}/resolve`)).header('authorization', agent.token)).assertStatus(500)
    } finally {
      off()
    }
    await conversation.refresh()
    assert.equal(conversation.status, 'open')
    assert.equal(await AuditLog.query().where('action', 'conversation.resolved').count('* as n').first().then((r) => Number(r!.$extras.n)), 0)
  })

  test('reopening when the contact already has another active conversation on that inbox is a 409', async ({ client }) => {
    const agent = await createMember(null, 'supervisor')
    const inbox = await createInbox(agent.provider.id)
    const contact = await createContact(agent.provider.id)
    const old = await createConversation(agent.provider, { status: 'resolved', inboxId: inbox.id, contactId: contact.id })
    await createConversation(agent.provider, { status: 'pending', inboxId: inbox.id, contactId: contact.id })
    ;(await client.post(url(agent.provider.id, `/conversations/${old.id}/reopen`)).header('authorization', agent.token)).assertStatus(409)
  })

  test('snooze, labels, priority and read', async ({ client, assert }) => {
    const agent = await createMember(null, 'agent')
    const conversation = await createConversation(agent.provider, { status: 'open', assigneeId: agent.user.id })
    const path = (action: string) => url(agent.provider.id, `/conversations/${conversation.id}/${action}`)
    const auth = { authorization: agent.token }
    const until = new Date(Date.now() + 3600_000).toISOString()

    const snoozed = await client.post(path('snooze')).headers(auth).json({ until })
    snoozed.assertStatus(200)
    assert.equal(new Date(snoozed.body().snoozedUntil).toISOString(), until)
    const woken = await client.post(path('snooze')).headers(auth).json({ until: null })
    assert.deepEqual(woken.body().errors, undefined, JSON.stringify(woken.body()))
    woken.assertBodyContains({ snoozedUntil: null })

    ;(await client.put(path('labels')).headers(auth).json({ labels: ['Financeiro', 'vip', 'vip '] })).assertBodyContains({ labels: ['financeiro', 'vip'] })
    ;(await client.put(path('priority')).headers(auth).json({ priority: 'urgent' })).assertBodyContains({ priority: 'urgent' })
    ;(await client.post(path('read')).headers(auth)).assertBodyContains({ unreadCount: 0 })
    const actions = await AuditLog.query().where('targetId', String(conversation.id)).orderBy('id').select('action')
    assert.deepEqual(actions.map((a) => a.action), ['conversation.snoozed', 'conversation.unsnoozed', 'conversation.labels_changed', 'conversation.priority_changed'])
  })

  test('bad input is a 422 and changes nothing', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const outsider = await createMember(null, 'agent')
    const team = await createTeam(supervisor.provider.id)
    const conversation = await createConversation(supervisor.provider, { status: 'pending' })
    const path = (action: string) => url(supervisor.provider.id, `/conversations/${conversation.id}/${action}`)
    const auth = { authorization: supervisor.token }

    const cases: [string, 'post' | 'put', Record<string, unknown>][] = [
      ['assign', 'post', {}],
      ['assign', 'post', { agentId: outsider.user.id }],
      ['transfer', 'post', {}],
      ['transfer', 'post', { teamId: team.id, to: 'bot' }],
      ['transfer', 'post', { teamId: 999999 }],
      ['transfer', 'post', { to: 'human' }],
      ['snooze', 'post', { until: 'tomorrow' }],
      ['snooze', 'post', { until: '2020-01-01T00:00:00Z' }],
      ['labels', 'put', { labels: 'vip' }],
      ['labels', 'put', { labels: ['<script>'] }],
      ['priority', 'put', { priority: 'critical' }],
      ['resolve', 'post', { reason: 'x'.repeat(501) }],
    ]
    for (const [action, method, body] of cases) {
      const response = await client[method](path(action)).headers(auth).json(body)
      assert.equal(response.status(), 422, `${action} ${JSON.stringify(body)}`)
      assert.isArray(response.body().errors)
    }
    const fresh = await Conversation.findOrFail(conversation.id)
    assert.equal(fresh.status, 'pending')
    assert.isNull(fresh.assigneeId)
    assert.equal(await AuditLog.query().count('* as n').first().then((r) => Number(r!.$extras.n)), 0)
  })

  test('an agent gets 404 for a conversation they cannot see; another provider gets 404 for everything', async ({ client }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const colleague = await createMember(admin.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const billing = await createTeam(admin.provider.id, 'Financeiro', [colleague.user.id])
    const hidden = await createConversation(admin.provider, { status: 'pending', teamId: billing.id })
    const p = admin.provider.id

    for (const action of ['take', 'resolve', 'reopen', 'read']) {
      ;(await client.post(url(p, `/conversations/${hidden.id}/${action}`)).header('authorization', agent.token)).assertStatus(404)
      ;(await client.post(url(p, `/conversations/${hidden.id}/${action}`)).header('authorization', outsider.token)).assertStatus(404)
      ;(await client.post(url(outsider.provider.id, `/conversations/${hidden.id}/${action}`)).header('authorization', outsider.token)).assertStatus(404)
    }
    ;(await client.get(url(p, `/conversations/${hidden.id}`)).header('authorization', agent.token)).assertStatus(404)
    ;(await client.put(url(p, `/conversations/${hidden.id}/priority`)).header('authorization', outsider.token).json({ priority: 'low' })).assertStatus(404)
    ;(await client.get(url(p, `/conversations/${hidden.id}`))).assertStatus(401)
  })
})

test.group('Conversation actions: a snooze runs out', (group) => {
  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })
  group.each.setup(() => testUtils.db().truncate())

  test('the conversation wakes at the time of its latest snooze and the lists hear about it', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider.id
    const conversation = await createConversation(supervisor.provider, { status: 'pending' })
    const stream = await SseClient.login(supervisor.user)
    try {
      await stream.connect()
      assert.equal(await stream.subscribe(channels.supervision(p)), 204)
      const snooze = (until: Date) =>
        client.post(url(p, `/conversations/${conversation.id}/snooze`)).header('authorization', supervisor.token).json({ until: until.toISOString() })
      ;(await snooze(new Date(Date.now() + 1500))).assertStatus(200)
      // Snoozed again, for longer: the first time passes without waking it.
      const latest = new Date(Date.now() + 3000)
      ;(await snooze(latest)).assertStatus(200)

      await drainQueues(15_000)
      await stream.waitFor((f) => f.event === 'conversation.updated' && f.payload.id === conversation.id && f.payload.snoozedUntil === null)
      const woken = await Conversation.findOrFail(conversation.id)
      assert.isNull(woken.snoozedUntil)
      assert.isAtLeast(Date.now(), latest.getTime())
      assert.lengthOf(stream.events().filter((f) => f.event === 'conversation.updated' && f.payload.snoozedUntil === null), 1)
    } finally {
      stream.close()
    }
  })
})
