import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { createMember } from '#tests/helpers/tenancy'
import { addMessage, createContact, createConversation, createInbox, createTeam, url } from '#tests/functional/workflow/helpers'

test.group('Conversation list and detail', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('the visibility rule: what an agent, a supervisor and the provider settings show', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const colleague = await createMember(supervisor.provider, 'agent')
    const support = await createTeam(supervisor.provider.id, 'Suporte', [agent.user.id])
    const billing = await createTeam(supervisor.provider.id, 'Financeiro', [colleague.user.id])
    const p = supervisor.provider
    const mine = await createConversation(p, { status: 'open', assigneeId: agent.user.id })
    const myTeam = await createConversation(p, { status: 'pending', teamId: support.id })
    const noTeam = await createConversation(p, { status: 'pending' })
    const otherTeam = await createConversation(p, { status: 'pending', teamId: billing.id })
    const othersOpen = await createConversation(p, { status: 'open', assigneeId: colleague.user.id })
    const bot = await createConversation(p, { status: 'bot' })
    const resolvedUnassigned = await createConversation(p, { status: 'resolved' })

    const ids = async (token: string) =>
      (await client.get(url(p.id, '/conversations?limit=100')).header('authorization', token)).body().data.map((c: any) => c.id)

    assert.sameMembers(await ids(agent.token), [mine.id, myTeam.id, noTeam.id])
    assert.sameMembers(await ids(supervisor.token), [mine.id, myTeam.id, noTeam.id, otherTeam.id, othersOpen.id, bot.id, resolvedUnassigned.id])
    p.settings = { agentsSeeBotConversations: true }
    await p.save()
    assert.sameMembers(await ids(agent.token), [mine.id, myTeam.id, noTeam.id, bot.id])
    p.settings = { agentsSeeAllConversations: true }
    await p.save()
    assert.lengthOf(await ids(agent.token), 7)
  })

  test('filters: status, assignee, team, inbox, label, snoozed', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const team = await createTeam(supervisor.provider.id)
    const inbox = await createInbox(supervisor.provider.id, 'Telegram')
    const p = supervisor.provider
    const a = await createConversation(p, { status: 'open', assigneeId: supervisor.user.id, labels: ['vip'] })
    const b = await createConversation(p, { status: 'open', assigneeId: agent.user.id, inboxId: inbox.id })
    const c = await createConversation(p, { status: 'pending', teamId: team.id, labels: ['vip', 'financeiro'] })
    const d = await createConversation(p, { status: 'bot' })
    await db.from('conversations').where('id', d.id).update({ snoozed_until: DateTime.now().plus({ hours: 1 }).toJSDate() })

    const ids = async (qs: string) => {
      const response = await client.get(url(p.id, `/conversations?${qs}`)).header('authorization', supervisor.token)
      assert.equal(response.status(), 200, `${qs}: ${JSON.stringify(response.body())}`)
      return response.body().data.map((row: any) => row.id)
    }
    assert.deepEqual(await ids('status=open'), [b.id, a.id])
    assert.deepEqual(await ids('status=pending,bot'), [d.id, c.id])
    assert.deepEqual(await ids('assignee=me'), [a.id])
    assert.deepEqual(await ids(`assignee=${agent.user.id}`), [b.id])
    assert.deepEqual(await ids('assignee=none'), [d.id, c.id])
    assert.deepEqual(await ids(`team=${team.id}`), [c.id])
    assert.deepEqual(await ids('team=none'), [d.id, b.id, a.id])
    assert.deepEqual(await ids(`inbox=${inbox.id}`), [b.id])
    assert.deepEqual(await ids('label=VIP'), [c.id, a.id])
    assert.deepEqual(await ids('snoozed=true'), [d.id])
    assert.deepEqual(await ids('snoozed=false'), [c.id, b.id, a.id])

    for (const bad of ['status=closed', 'assignee=someone', 'team=-1', 'inbox=x', 'limit=1000', 'cursor=%%%']) {
      ;(await client.get(url(p.id, `/conversations?${bad}`)).header('authorization', supervisor.token)).assertStatus(422)
    }
  })

  test('text search over messages and the contact name and phone, with LIKE characters taken literally', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const byMessage = await createConversation(p)
    await addMessage(byMessage, 'Minha internet caiu ontem à noite')
    const byName = await createConversation(p, { contactId: (await createContact(p.id, { name: 'Joana Sílvia' })).id })
    const byPhone = await createConversation(p, { contactId: (await createContact(p.id, { phone: '5511987654321' })).id })
    const percent = await createConversation(p)
    await addMessage(percent, 'desconto de 50% no plano')

    const search = async (q: string) =>
      (await client.get(url(p.id, `/conversations?q=${encodeURIComponent(q)}`)).header('authorization', supervisor.token)).body().data.map((c: any) => c.id)
    assert.deepEqual(await search('INTERNET caiu'), [byMessage.id])
    assert.deepEqual(await search('joana'), [byName.id])
    assert.deepEqual(await search('98765-4321'), [byPhone.id])
    assert.deepEqual(await search('50%'), [percent.id])
    assert.deepEqual(await search('%'), [percent.id])
    assert.deepEqual(await search('nada disso'), [])
  })

  test('pages by last activity without repeating or skipping rows while others change', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const same = DateTime.fromISO('2026-03-01T12:00:00.123456Z')
    const created = []
    for (let i = 0; i < 7; i++) created.push(await createConversation(p, { lastActivityAt: i < 4 ? same : undefined }))

    const first = await client.get(url(p.id, '/conversations?limit=3')).header('authorization', supervisor.token)
    const firstIds = first.body().data.map((c: any) => c.id)
    // Meanwhile the oldest conversation gets a new message: it moves to the top, not into page two twice.
    await db.from('conversations').where('id', created[0].id).update({ last_activity_at: new Date('2026-06-01T00:00:00Z') })
    const seen = [...firstIds]
    let cursor = first.body().meta.nextCursor
    while (cursor) {
      const page = await client.get(url(p.id, `/conversations?limit=3&cursor=${cursor}`)).header('authorization', supervisor.token)
      seen.push(...page.body().data.map((c: any) => c.id))
      cursor = page.body().meta.nextCursor
    }
    // Every row that did not move is seen exactly once; the moved one is at the top of a fresh first page.
    assert.equal(new Set(seen).size, seen.length)
    assert.sameMembers(seen, created.slice(1).map((c) => c.id))
    const fresh = await client.get(url(p.id, '/conversations?limit=3')).header('authorization', supervisor.token)
    assert.equal(fresh.body().data[0].id, created[0].id)
  })

  test('detail shows the contact, team and inbox; other providers get 404', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const outsider = await createMember(null, 'admin')
    const team = await createTeam(supervisor.provider.id, 'Suporte')
    const conversation = await createConversation(supervisor.provider, { status: 'pending', teamId: team.id })
    const detail = await client.get(url(supervisor.provider.id, `/conversations/${conversation.id}`)).header('authorization', supervisor.token)
    detail.assertStatus(200)
    detail.assertBodyContains({ id: conversation.id, team: { id: team.id, name: 'Suporte' }, assignee: null, contact: { name: 'Maria Cliente' } })
    assert.equal(detail.body().inbox.name, 'WhatsApp')

    ;(await client.get(url(outsider.provider.id, `/conversations/${conversation.id}`)).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.get(url(supervisor.provider.id, `/conversations/${conversation.id}`)).header('authorization', outsider.token)).assertStatus(404)
    const theirs = await client.get(url(outsider.provider.id, '/conversations')).header('authorization', outsider.token)
    assert.lengthOf(theirs.body().data, 0)
  })
})
