import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { createContact, createInbox, createTeam, insertConversation, insertMessage, insertSurvey } from './helpers.js'

/*
 * A small data set whose every figure is computed by hand below. The provider is in
 * America/Sao_Paulo (UTC−3, no daylight saving), the period is 2026-03-01..2026-03-02 local, i.e.
 * [2026-03-01T03:00Z, 2026-03-03T03:00Z). All times below are UTC.
 *
 *  conv inbox status   created              first cust / first resp / handover / first human      resolved (kind)       notes
 *  C1   wa    resolved 03-01 12:00 (L 09:00) 12:00 / 12:00:30 (AI 30s) / – / –                  03-01 12:10 (ai)       600 s, AI-resolved
 *  C2   wa    resolved 03-01 13:00 (L 10:00) 13:00 / 13:00:10 (AI 10s) / 13:05 / 13:07 (120s)   03-01 14:00 (agent A)  3600 s, A, team, 1 transfer
 *  C3   tg    open     03-02 01:30 (L 03-01 22:30!) 01:30 / 01:35 (human, no AI) / – / 01:35 (300s) –                  B, team, 2 transfers
 *  C4   wa    pending  03-02 15:00 (L 12:00) 15:00 / 15:01 (AI 60s) / 15:02 / –                   –
 *  C5   tg    bot      03-02 18:00 (L 15:00) 18:00 / 18:00:20 (AI 20s)                             –
 *  C6   wa    resolved 02-28 10:00 (before)  10:00 / 10:00:05 / 10:01 / 10:03 (120s)             03-01 04:00 (agent A)  64800 s, A
 *  C7   wa    bot      03-03 03:30 (L 03-03 00:30, after the period)
 *  C8   tg    resolved 03-01 03:30 (L 00:30) 03:30 / 03:30:40 (AI 40s)                          03-01 03:35 (ai)       300 s, AI-resolved
 *  C9   wa    resolved 02-20 (before; only its survey matters: answered 02-20, outside)
 *
 * Created cohort = C1 C2 C3 C4 C5 C8 (6). Resolved cohort = C1 C2 C6 C8 (4).
 */
async function seed() {
  const supervisor = await createMember(null, 'supervisor')
  const providerId = supervisor.provider.id
  const agentA = await createMember(supervisor.provider, 'agent')
  const agentB = await createMember(supervisor.provider, 'agent')
  const wa = await createInbox(providerId, 'WhatsApp', 'uazapi')
  const tg = await createInbox(providerId, 'Telegram', 'telegram')
  const team = await createTeam(providerId)
  // One contact per conversation: a contact has at most one unresolved conversation per inbox.
  const contacts = new Map<number, number>()
  const insert = async (values: Omit<Parameters<typeof insertConversation>[0], 'providerId' | 'contactId'>) => {
    const contact = await createContact(providerId, contacts.size === 1 ? 'Ana' : `Cliente ${contacts.size + 1}`)
    const id = await insertConversation({ ...values, providerId, contactId: contact.id })
    contacts.set(id, contact.id)
    return id
  }
  const A = agentA.user.id
  const B = agentB.user.id

  const c1 = await insert({ inboxId: wa.id, status: 'resolved', createdAt: '2026-03-01T12:00:00Z',
    firstCustomerMessageAt: '2026-03-01T12:00:00Z', firstResponseAt: '2026-03-01T12:00:30Z',
    resolvedAt: '2026-03-01T12:10:00Z', resolvedByKind: 'ai' })
  const c2 = await insert({ inboxId: wa.id, status: 'resolved', createdAt: '2026-03-01T13:00:00Z',
    assigneeId: A, teamId: team.id, firstCustomerMessageAt: '2026-03-01T13:00:00Z', firstResponseAt: '2026-03-01T13:00:10Z',
    handedOverAt: '2026-03-01T13:05:00Z', firstHumanResponseAt: '2026-03-01T13:07:00Z', hadHuman: true, transferCount: 1,
    resolvedAt: '2026-03-01T14:00:00Z', resolvedByKind: 'agent', resolvedById: A })
  const c3 = await insert({ inboxId: tg.id, status: 'open', createdAt: '2026-03-02T01:30:00Z',
    assigneeId: B, teamId: team.id, firstCustomerMessageAt: '2026-03-02T01:30:00Z', firstResponseAt: '2026-03-02T01:35:00Z',
    firstHumanResponseAt: '2026-03-02T01:35:00Z', hadHuman: true, transferCount: 2 })
  await insert({ inboxId: wa.id, status: 'pending', createdAt: '2026-03-02T15:00:00Z',
    firstCustomerMessageAt: '2026-03-02T15:00:00Z', firstResponseAt: '2026-03-02T15:01:00Z', handedOverAt: '2026-03-02T15:02:00Z' })
  await insert({ inboxId: tg.id, status: 'bot', createdAt: '2026-03-02T18:00:00Z',
    firstCustomerMessageAt: '2026-03-02T18:00:00Z', firstResponseAt: '2026-03-02T18:00:20Z' })
  const c6 = await insert({ inboxId: wa.id, status: 'resolved', createdAt: '2026-02-28T10:00:00Z',
    assigneeId: A, firstCustomerMessageAt: '2026-02-28T10:00:00Z', firstResponseAt: '2026-02-28T10:00:05Z',
    handedOverAt: '2026-02-28T10:01:00Z', firstHumanResponseAt: '2026-02-28T10:03:00Z', hadHuman: true,
    resolvedAt: '2026-03-01T04:00:00Z', resolvedByKind: 'agent', resolvedById: A })
  const c7 = await insert({ inboxId: wa.id, status: 'bot', createdAt: '2026-03-03T03:30:00Z' })
  const c8 = await insert({ inboxId: tg.id, status: 'resolved', createdAt: '2026-03-01T03:30:00Z',
    firstCustomerMessageAt: '2026-03-01T03:30:00Z', firstResponseAt: '2026-03-01T03:30:40Z',
    resolvedAt: '2026-03-01T03:35:00Z', resolvedByKind: 'ai' })
  const c9 = await insert({ inboxId: wa.id, status: 'resolved', createdAt: '2026-02-20T10:00:00Z',
    resolvedAt: '2026-02-20T11:00:00Z', resolvedByKind: 'ai' })

  // Messages in the period: in = C1, C2, C3 (3); out = AI C1, C2 (2) + agent C2, C3 (2) + system C2 (1) = 5.
  // Not counted: a private note (C2), a message before (C6) and one after (C7) the period.
  const msg = (conversationId: number, inboxId: number, direction: 'in' | 'out', senderKind: any, createdAt: string, priv = false) =>
    insertMessage({ providerId, conversationId, inboxId, direction, senderKind, createdAt, private: priv })
  await msg(c1, wa.id, 'in', 'customer', '2026-03-01T12:00:00Z')
  await msg(c1, wa.id, 'out', 'ai', '2026-03-01T12:00:30Z')
  await msg(c2, wa.id, 'in', 'customer', '2026-03-01T13:00:00Z')
  await msg(c2, wa.id, 'out', 'ai', '2026-03-01T13:00:10Z')
  await msg(c2, wa.id, 'out', 'agent', '2026-03-01T13:07:00Z')
  await msg(c2, wa.id, 'out', 'agent', '2026-03-01T13:08:00Z', true)
  await msg(c2, wa.id, 'out', 'system', '2026-03-01T14:02:00Z')
  await msg(c3, tg.id, 'in', 'customer', '2026-03-02T01:30:00Z')
  await msg(c3, tg.id, 'out', 'agent', '2026-03-02T01:35:00Z')
  await msg(c6, wa.id, 'in', 'customer', '2026-02-28T10:00:00Z')
  await msg(c7, wa.id, 'in', 'customer', '2026-03-03T03:30:00Z')

  // Surveys: S1 (C1) 5 answered 03-01 12:20; S2 (C2, agent A) 2 answered 03-01 14:05 with feedback;
  // S3 (C6, agent A) 4 answered 03-02 02:00Z = 03-01 23:00 local; S4 (C8) sent, unanswered;
  // S9 (C9) answered 02-20, outside. Sent in the period: S1 S2 S3 S4.
  const survey = (conversationId: number, inboxId: number, extra: Record<string, any>) =>
    insertSurvey({ providerId, conversationId, inboxId, contactId: contacts.get(conversationId)!, ...extra } as any)
  await survey(c1, wa.id, { status: 'answered', sentAt: '2026-03-01T12:12:00Z', answeredAt: '2026-03-01T12:20:00Z', rating: 5, answerText: '🤩', answerSource: 'emoji' })
  await survey(c2, wa.id, { status: 'answered', agentId: A, teamId: team.id, sentAt: '2026-03-01T14:02:00Z', answeredAt: '2026-03-01T14:05:00Z', rating: 2, answerText: 'não gostei', answerSource: 'lexicon', feedback: 'demorou muito' })
  await survey(c6, wa.id, { status: 'answered', agentId: A, sentAt: '2026-03-01T04:02:00Z', answeredAt: '2026-03-02T02:00:00Z', rating: 4, answerText: '4', answerSource: 'number' })
  await survey(c8, tg.id, { status: 'sent', sentAt: '2026-03-01T03:37:00Z' })
  await survey(c9, wa.id, { status: 'answered', sentAt: '2026-02-20T11:02:00Z', answeredAt: '2026-02-20T11:05:00Z', rating: 1, answerText: '1', answerSource: 'number' })

  // Another provider with a conversation at the same moment: must never show up.
  const other = await createMember(null, 'admin')
  const otherInbox = await createInbox(other.provider.id)
  const otherContact = await createContact(other.provider.id)
  await insertConversation({ providerId: other.provider.id, inboxId: otherInbox.id, contactId: otherContact.id, status: 'open',
    createdAt: '2026-03-01T12:00:00Z', firstCustomerMessageAt: '2026-03-01T12:00:00Z', firstResponseAt: '2026-03-01T12:00:01Z' })

  return { supervisor, agentA, agentB, wa, tg, team, A, B, other, c3 }
}

const url = (member: Member, query = 'from=2026-03-01&to=2026-03-02') =>
  `/api/v1/providers/${member.provider.id}/metrics?${query}`

test.group('Metrics: computed from stored data', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('every figure matches the hand-computed data set', async ({ client, assert }) => {
    const s = await seed()
    const response = await client.get(url(s.supervisor)).header('authorization', s.supervisor.token)
    response.assertStatus(200)
    const body = response.body()

    assert.deepEqual(body.period, { from: '2026-03-01', to: '2026-03-02', timezone: 'America/Sao_Paulo' })
    // Live: C5 and C7 with the AI, C4 waiting, C3 open (the other provider's open one is not ours).
    assert.deepEqual(body.live, { bot: 2, pending: 1, open: 1 })

    assert.deepEqual(body.conversations, {
      created: 6,
      resolved: 4,
      byStatus: { bot: 1, pending: 1, open: 1, resolved: 3 }, // C5 | C4 | C3 | C1 C2 C8
      resolvedBy: { agent: 2, ai: 2, inactivity: 0, system: 0 }, // C2 C6 | C1 C8
      resolvedByAiWithoutHuman: 2, // C1, C8
      aiResolutionRate: 0.5, // 2 of 4
      transfers: 3, // C2 1 + C3 2
      transferredConversations: 2,
    })

    // First response, all: 10 20 30 40 60 300 → median (30+40)/2 = 35; p90 at rank 4.5 → 60 + .5×240 = 180.
    // By the AI (C3's first reply was human): 10 20 30 40 60 → median 30; p90 at rank 3.6 → 40 + .6×20 = 52.
    // By a human: C2 13:05→13:07 = 120, C3 created 01:30→01:35 = 300 → median 210; p90 120 + .9×180 = 282.
    assert.deepEqual(body.firstResponseSeconds, {
      all: { median: 35, p90: 180, count: 6 },
      ai: { median: 30, p90: 52, count: 5 },
      human: { median: 210, p90: 282, count: 2 },
    })
    // Resolution: C8 300, C1 600, C2 3600, C6 64800 → median 2100; p90 at rank 2.7 → 3600 + .7×61200 = 46440.
    // AI (C1, C8): 300 600 → median 450, p90 570. Humans (C2, C6): median 34200, p90 3600 + .9×61200 = 58680.
    assert.deepEqual(body.resolutionSeconds, {
      all: { median: 2100, p90: 46440, count: 4 },
      ai: { median: 450, p90: 570, count: 2 },
      human: { median: 34200, p90: 58680, count: 2 },
    })

    // Days in São Paulo time: C3 (01:30 UTC on the 2nd) is the 1st at 22:30; every resolution is on the 1st.
    assert.deepEqual(body.perDay, [
      { date: '2026-03-01', created: 4, resolved: 4 }, // C1 C2 C3 C8 | C1 C2 C6 C8
      { date: '2026-03-02', created: 2, resolved: 0 }, // C4 C5
    ])
    const hours = Object.fromEntries(
      body.perHour.filter((h: any) => h.created || h.resolved).map((h: any) => [h.hour, [h.created, h.resolved]])
    )
    assert.lengthOf(body.perHour, 24)
    // created: C8 00h, C1 09h, C2 10h, C4 12h, C5 15h, C3 22h; resolved: C8 00h, C6 01h, C1 09h, C2 11h.
    assert.deepEqual(hours, { 0: [1, 1], 1: [0, 1], 9: [1, 1], 10: [1, 0], 11: [0, 1], 12: [1, 0], 15: [1, 0], 22: [1, 0] })

    assert.deepEqual(body.messages, { in: 3, out: 5, outBySender: { ai: 2, agent: 2, system: 1 } })

    // CSAT answered in the period: 5, 2, 4 → average 3.67; satisfied 2 of 3; sent 4 → response rate 0.75.
    assert.deepEqual(body.csat, {
      answered: 3,
      sent: 4,
      responseRate: 0.75,
      average: 3.67,
      satisfactionRate: 0.6667,
      distribution: [
        { rating: 1, count: 0 },
        { rating: 2, count: 1 },
        { rating: 3, count: 0 },
        { rating: 4, count: 1 },
        { rating: 5, count: 1 },
      ],
    })

    // A resolved C2 and C6 (resolution 3600, 64800 → median 34200; human first response 120, 120) and
    // has S2 (2) and S3 (4); B resolved nothing and has C3 open.
    assert.deepEqual(body.agents, [
      { agentId: s.A, name: s.agentA.user.name, resolved: 2, openNow: 0,
        resolutionSeconds: { median: 34200, count: 2 }, firstHumanResponseSeconds: { median: 120, count: 2 },
        csat: { average: 3, answered: 2 } },
      { agentId: s.B, name: s.agentB.user.name, resolved: 0, openNow: 1,
        resolutionSeconds: { median: null, count: 0 }, firstHumanResponseSeconds: { median: null, count: 0 },
        csat: { average: null, answered: 0 } },
    ])

    // Telegram: C3 C5 C8 created (first responses 300, 20, 40 → median 40), C8 resolved, no answer.
    // WhatsApp: C1 C2 C4 created (30, 10, 60 → 30), C1 C2 C6 resolved, S1 S2 S3 → 3.67.
    assert.deepEqual(
      body.inboxes.map((i: any) => [i.name, i.created, i.resolved, i.firstResponseSeconds.median, i.csat.average, i.csat.answered]),
      [
        ['Telegram', 3, 1, 40, null, 0],
        ['WhatsApp', 3, 3, 30, 3.67, 3],
      ]
    )

    // Newest first: S3 (03-02 02:00Z), S2, S1; S9 is outside the period.
    assert.deepEqual(
      body.latestFeedback.map((f: any) => [f.rating, f.answer, f.feedback, f.agent?.id ?? null]),
      [
        [4, '4', null, s.A],
        [2, 'não gostei', 'demorou muito', s.A],
        [5, '🤩', null, null],
      ]
    )
  })

  test('days are bucketed in the provider timezone: in UTC the 01:30 conversation moves to the 2nd', async ({ client, assert }) => {
    const s = await seed()
    s.supervisor.provider.timezone = 'UTC'
    await s.supervisor.provider.save()
    const body = (await client.get(url(s.supervisor)).header('authorization', s.supervisor.token)).body()
    // Period [03-01 00:00Z, 03-03 00:00Z): the same six conversations, but C3 now counts on the 2nd.
    assert.deepEqual(body.perDay, [
      { date: '2026-03-01', created: 3, resolved: 4 }, // C1 C2 C8
      { date: '2026-03-02', created: 3, resolved: 0 }, // C3 C4 C5
    ])
    assert.equal(body.perHour[1].created, 1) // C3 at 01:30 UTC
    assert.equal(body.perHour[22].created, 0)
  })

  test('the period edges are local midnights: one day only', async ({ client, assert }) => {
    const s = await seed()
    const body = (await client.get(url(s.supervisor, 'from=2026-03-02&to=2026-03-02')).header('authorization', s.supervisor.token)).body()
    // [03-02 03:00Z, 03-03 03:00Z): C4 and C5 only (C3 at 01:30Z belongs to the 1st, C7 at 03:30Z to the 3rd).
    assert.equal(body.conversations.created, 2)
    assert.equal(body.conversations.resolved, 0)
    assert.deepEqual(body.perDay, [{ date: '2026-03-02', created: 2, resolved: 0 }])
    assert.equal(body.csat.answered, 0) // S3 was answered at 23:00 on the 1st, local
  })

  test('filters by agent, inbox and team narrow every figure', async ({ client, assert }) => {
    const s = await seed()
    const byAgent = (await client.get(url(s.supervisor, `from=2026-03-01&to=2026-03-02&agent=${s.A}`)).header('authorization', s.supervisor.token)).body()
    // Assigned to A: created C2 (C6 is older); resolved C2 C6; messages of C2: in 1, out ai+agent+system 3.
    assert.equal(byAgent.conversations.created, 1)
    assert.equal(byAgent.conversations.resolved, 2)
    assert.deepEqual(byAgent.messages, { in: 1, out: 3, outBySender: { ai: 1, agent: 1, system: 1 } })
    assert.equal(byAgent.csat.answered, 2) // S2, S3
    assert.equal(byAgent.csat.average, 3)
    assert.deepEqual(byAgent.agents.map((a: any) => a.agentId), [s.A])

    const byInbox = (await client.get(url(s.supervisor, `from=2026-03-01&to=2026-03-02&inbox=${s.tg.id}`)).header('authorization', s.supervisor.token)).body()
    assert.equal(byInbox.conversations.created, 3) // C3 C5 C8
    assert.equal(byInbox.conversations.resolved, 1) // C8
    assert.deepEqual(byInbox.live, { bot: 1, pending: 0, open: 1 }) // C5, C3
    assert.deepEqual(byInbox.messages, { in: 1, out: 1, outBySender: { ai: 0, agent: 1, system: 0 } })
    assert.equal(byInbox.csat.sent, 1) // S4
    assert.equal(byInbox.csat.answered, 0)

    const byTeam = (await client.get(url(s.supervisor, `from=2026-03-01&to=2026-03-02&team=${s.team.id}`)).header('authorization', s.supervisor.token)).body()
    assert.equal(byTeam.conversations.created, 2) // C2 C3
    assert.equal(byTeam.conversations.transfers, 3)
    assert.equal(byTeam.csat.answered, 1) // S2 carries the team
  })

  test('GET csat: summary, zero-filled daily trend in local days, latest answers', async ({ client, assert }) => {
    const s = await seed()
    const response = await client
      .get(`/api/v1/providers/${s.supervisor.provider.id}/csat?from=2026-02-28&to=2026-03-02`)
      .header('authorization', s.supervisor.token)
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.answered, 3)
    assert.equal(body.average, 3.67)
    assert.deepEqual(body.perDay, [
      { date: '2026-02-28', answered: 0, average: null, satisfactionRate: null },
      { date: '2026-03-01', answered: 3, average: 3.67, satisfactionRate: 0.6667 }, // S1 S2 and S3 (23:00 local)
      { date: '2026-03-02', answered: 0, average: null, satisfactionRate: null },
    ])
    assert.deepEqual(body.byInbox, [{ inboxId: s.wa.id, name: 'WhatsApp', answered: 3, average: 3.67 }])
    assert.deepEqual(body.latest.map((f: any) => f.rating), [4, 2, 5])
    assert.equal(body.latest[1].contactName, 'Ana')
  })
})

test.group('Metrics: access and validation', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('agents get 403 on metrics and csat; supervisors and admins get 200', async ({ client }) => {
    const admin = await createMember(null, 'admin')
    const supervisor = await createMember(admin.provider, 'supervisor')
    const agent = await createMember(admin.provider, 'agent')
    for (const path of ['metrics', 'csat']) {
      const at = `/api/v1/providers/${admin.provider.id}/${path}`
      ;(await client.get(at).header('authorization', agent.token)).assertStatus(403)
      ;(await client.get(at).header('authorization', supervisor.token)).assertStatus(200)
      ;(await client.get(at).header('authorization', admin.token)).assertStatus(200)
      ;(await client.get(at)).assertStatus(401)
    }
  })

  test("another provider's metrics answer 404 and reveal nothing", async ({ client, assert }) => {
    const s = await seed()
    for (const path of ['metrics', 'csat']) {
      const response = await client
        .get(`/api/v1/providers/${s.supervisor.provider.id}/${path}`)
        .header('authorization', s.other.token)
      response.assertStatus(404)
      assert.notInclude(JSON.stringify(response.body()), 'demorou')
    }
  })

  test('the default period is the last 30 local days and answers with empty figures', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const body = (await client.get(`/api/v1/providers/${admin.provider.id}/metrics`).header('authorization', admin.token)).body()
    assert.lengthOf(body.perDay, 30)
    assert.equal(body.conversations.created, 0)
    assert.deepEqual(body.firstResponseSeconds.all, { median: null, p90: null, count: 0 })
    assert.isNull(body.csat.average)
    assert.isNull(body.conversations.aiResolutionRate)
  })

  test('bad periods and filters are 422 with the field named', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const other = await createMember(null, 'admin')
    const otherInbox = await createInbox(other.provider.id)
    const cases: [string, string][] = [
      ['from=2026-03-05&to=2026-03-01', 'from'], // inverted
      ['from=2025-01-01&to=2026-01-02', 'to'], // 367 days
      ['from=2026-13-01&to=2026-12-01', 'from'], // no such month
      ['from=yesterday', 'from'],
      ['to=2026-02-30', 'to'],
      ['inbox=abc', 'inbox'],
      ['agent=0', 'agent'],
      [`inbox=${otherInbox.id}`, 'inbox'], // exists, but in another provider
      ['team=999999', 'team'],
    ]
    for (const [query, field] of cases) {
      for (const path of ['metrics', 'csat']) {
        const response = await client.get(`/api/v1/providers/${admin.provider.id}/${path}?${query}`).header('authorization', admin.token)
        assert.equal(response.status(), 422, `${path}?${query} answered ${response.status()}`)
        assert.equal(response.body().errors[0].field, field, `${path}?${query}`)
      }
    }
    // Exactly 366 days is allowed.
    ;(await client.get(`/api/v1/providers/${admin.provider.id}/metrics?from=2025-01-01&to=2026-01-01`).header('authorization', admin.token)).assertStatus(200)
  })
})
