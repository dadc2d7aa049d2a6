import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditLog from '#models/audit_log'
import Contact from '#models/contact'
import ContactIdentity from '#models/contact_identity'
import Conversation from '#models/conversation'
import Team from '#models/team'
import { createMember } from '#tests/helpers/tenancy'
import { createContact, createConversation, createInbox, url } from '#tests/functional/workflow/helpers'

test.group('Teams', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('admins create, update, list and delete teams with members; audited', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const p = admin.provider.id
    const auth = { authorization: admin.token }
    const created = await client.post(url(p, '/teams')).headers(auth).json({ name: 'Suporte', autoAssign: true, maxOpenPerAgent: 5, memberIds: [agent.user.id] })
    created.assertStatus(201)
    created.assertBodyContains({ name: 'Suporte', autoAssign: true, maxOpenPerAgent: 5, members: [{ id: agent.user.id }] })
    const id = created.body().id

    ;(await client.patch(url(p, `/teams/${id}`)).headers(auth).json({ name: 'Suporte N2', memberIds: [] })).assertBodyContains({ name: 'Suporte N2', members: [] })
    ;(await client.post(url(p, `/teams/${id}/members`)).headers(auth).json({ userId: admin.user.id })).assertBodyContains({ members: [{ id: admin.user.id }] })
    ;(await client.delete(url(p, `/teams/${id}/members/${admin.user.id}`)).headers(auth)).assertBodyContains({ members: [] })
    const list = await client.get(url(p, '/teams')).header('authorization', agent.token)
    list.assertStatus(200)
    assert.deepEqual(list.body().data.map((t: any) => t.name), ['Suporte N2'])
    ;(await client.delete(url(p, `/teams/${id}`)).headers(auth)).assertStatus(204)
    assert.isNull(await Team.find(id))
    const actions = (await AuditLog.query().where('targetType', 'team').orderBy('id')).map((l) => l.action)
    assert.deepEqual(actions, ['team.created', 'team.updated', 'team.member_added', 'team.member_removed', 'team.deleted'])
  })

  test('validation, roles and isolation', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const p = admin.provider.id
    const auth = { authorization: admin.token }
    ;(await client.post(url(p, '/teams')).headers(auth).json({ name: 'Suporte' })).assertStatus(201)
    ;(await client.post(url(p, '/teams')).headers(auth).json({ name: 'Suporte' })).assertStatus(422)
    ;(await client.post(url(p, '/teams')).headers(auth).json({ name: '' })).assertStatus(422)
    ;(await client.post(url(p, '/teams')).headers(auth).json({ name: 'X', maxOpenPerAgent: -1 })).assertStatus(422)
    ;(await client.post(url(p, '/teams')).headers(auth).json({ name: 'Y', memberIds: [outsider.user.id] })).assertStatus(422)
    ;(await client.post(url(p, '/teams')).header('authorization', agent.token).json({ name: 'Z' })).assertStatus(403)
    const team = await Team.findByOrFail('name', 'Suporte')
    ;(await client.get(url(outsider.provider.id, `/teams/${team.id}`)).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.patch(url(outsider.provider.id, `/teams/${team.id}`)).header('authorization', outsider.token).json({ name: 'mine' })).assertStatus(404)
    ;(await client.get(url(p, '/teams')).header('authorization', outsider.token)).assertStatus(404)
    assert.equal(await Team.query().where('providerId', p).count('* as n').first().then((r) => Number(r!.$extras.n)), 1)
  })
})

test.group('Canned responses', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('CRUD with search by shortcut or text, roles and isolation', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const p = supervisor.provider.id
    const auth = { authorization: supervisor.token }
    const boleto = await client.post(url(p, '/canned-responses')).headers(auth).json({ shortcut: '/Boleto', content: 'Segue a 2ª via do seu boleto.' })
    boleto.assertStatus(201)
    boleto.assertBodyContains({ shortcut: 'boleto' })
    ;(await client.post(url(p, '/canned-responses')).headers(auth).json({ shortcut: 'saudacao', content: 'Olá! Como posso ajudar?' })).assertStatus(201)
    ;(await client.post(url(p, '/canned-responses')).headers(auth).json({ shortcut: 'boleto', content: 'dup' })).assertStatus(422)
    ;(await client.post(url(p, '/canned-responses')).headers(auth).json({ shortcut: 'com espaço', content: 'x' })).assertStatus(422)
    ;(await client.post(url(p, '/canned-responses')).headers(auth).json({ shortcut: 'vazio', content: '' })).assertStatus(422)
    ;(await client.post(url(p, '/canned-responses')).header('authorization', agent.token).json({ shortcut: 'a', content: 'b' })).assertStatus(403)

    const search = async (q: string) => (await client.get(url(p, `/canned-responses?q=${encodeURIComponent(q)}`)).header('authorization', agent.token)).body().data.map((c: any) => c.shortcut)
    assert.deepEqual(await search('/bol'), ['boleto'])
    assert.deepEqual(await search('ajudar'), ['saudacao'])
    const id = boleto.body().id
    ;(await client.patch(url(p, `/canned-responses/${id}`)).headers(auth).json({ content: 'Novo texto' })).assertBodyContains({ content: 'Novo texto' })
    ;(await client.get(url(outsider.provider.id, `/canned-responses/${id}`)).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.delete(url(outsider.provider.id, `/canned-responses/${id}`)).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.delete(url(p, `/canned-responses/${id}`)).headers(auth)).assertStatus(204)
    assert.deepEqual(await search('bol'), [])
  })
})

test.group('Contacts', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('create, update custom attributes, search; validation and isolation', async ({ client, assert }) => {
    const agent = await createMember(null, 'agent')
    const outsider = await createMember(null, 'admin')
    const p = agent.provider.id
    const auth = { authorization: agent.token }
    const created = await client.post(url(p, '/contacts')).headers(auth).json({ name: 'João Pereira', phone: '+55 (11) 98888-7777', customAttributes: { plano: '300MB', vencimento: 10 } })
    created.assertStatus(201)
    created.assertBodyContains({ name: 'João Pereira', phone: '5511988887777', customAttributes: { plano: '300MB', vencimento: 10 } })
    const id = created.body().id

    const updated = await client.patch(url(p, `/contacts/${id}`)).headers(auth).json({ customAttributes: { plano: '600MB', vencimento: null, cidade: 'Campinas' } })
    assert.equal(updated.status(), 200, JSON.stringify(updated.body()))
    assert.deepEqual(updated.body().customAttributes, { plano: '600MB', cidade: 'Campinas' })

    for (const bad of [{}, { email: 'not-an-email' }, { name: 'x', phone: '12' }, { name: 'x', customAttributes: { '1bad': 'x' } }, { name: 'x', customAttributes: { nested: { a: 1 } } }]) {
      const response = await client.post(url(p, '/contacts')).headers(auth).json(bad)
      assert.equal(response.status(), 422, JSON.stringify(bad))
    }
    ;(await client.post(url(p, '/contacts')).headers(auth).json({ name: 'Outro', phone: '5511988887777' })).assertStatus(422)

    const search = async (q: string) => (await client.get(url(p, `/contacts?q=${encodeURIComponent(q)}`)).headers(auth)).body().data.map((c: any) => c.id)
    assert.deepEqual(await search('pereira'), [id])
    assert.deepEqual(await search('98888'), [id])
    assert.deepEqual(await search('ninguém'), [])
    ;(await client.get(url(outsider.provider.id, `/contacts/${id}`)).header('authorization', outsider.token)).assertStatus(404)
    ;(await client.patch(url(outsider.provider.id, `/contacts/${id}`)).header('authorization', outsider.token).json({ name: 'x' })).assertStatus(404)
    assert.lengthOf((await client.get(url(outsider.provider.id, '/contacts')).header('authorization', outsider.token)).body().data, 0)
    ;(await client.delete(url(p, `/contacts/${id}`)).headers(auth)).assertStatus(403)
  })

  test('merge moves identities, conversations and attributes into one contact', async ({ client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const inbox = await createInbox(p.id)
    const target = await createContact(p.id, { name: 'Ana', phone: null, customAttributes: { plano: '300MB' } })
    const source = await createContact(p.id, { name: 'Ana Souza', phone: '5511977776666', email: 'ana@example.com', customAttributes: { plano: '100MB', cidade: 'Santos' } })
    await ContactIdentity.create({ providerId: p.id, contactId: source.id, kind: 'whatsapp_lid', value: '1234@lid' })
    await ContactIdentity.create({ providerId: p.id, contactId: target.id, kind: 'whatsapp', value: '5511977776666' })
    const oldConversation = await createConversation(p, { status: 'resolved', inboxId: inbox.id, contactId: source.id })
    const active = await createConversation(p, { status: 'pending', inboxId: inbox.id, contactId: source.id })

    const merged = await client.post(url(p.id, `/contacts/${target.id}/merge`)).header('authorization', supervisor.token).json({ sourceId: source.id })
    merged.assertStatus(200)
    merged.assertBodyContains({ id: target.id, name: 'Ana', phone: '5511977776666', email: 'ana@example.com', customAttributes: { plano: '300MB', cidade: 'Santos' }, moved: { identities: 1, conversations: 2 } })
    assert.sameMembers(merged.body().identities.map((i: any) => i.value), ['1234@lid', '5511977776666'])
    assert.equal((await Conversation.findOrFail(oldConversation.id)).contactId, target.id)
    assert.equal((await Conversation.findOrFail(active.id)).contactId, target.id)
    assert.equal((await Contact.findOrFail(source.id)).mergedIntoId, target.id)
    const listed = await client.get(url(p.id, '/contacts')).header('authorization', supervisor.token)
    assert.deepEqual(listed.body().data.map((c: any) => c.id), [target.id])
    assert.equal((await AuditLog.findByOrFail('action', 'contact.merged')).targetId, String(target.id))

    ;(await client.post(url(p.id, `/contacts/${target.id}/merge`)).header('authorization', supervisor.token).json({ sourceId: target.id })).assertStatus(422)
    ;(await client.post(url(p.id, `/contacts/${target.id}/merge`)).header('authorization', supervisor.token).json({ sourceId: source.id })).assertStatus(409)
  })

  test('merge refuses when both have an active conversation on one inbox, and moves nothing', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const inbox = await createInbox(admin.provider.id)
    const a = await createContact(admin.provider.id)
    const b = await createContact(admin.provider.id)
    await createConversation(admin.provider, { status: 'open', inboxId: inbox.id, contactId: a.id })
    const bConversation = await createConversation(admin.provider, { status: 'pending', inboxId: inbox.id, contactId: b.id })
    ;(await client.post(url(admin.provider.id, `/contacts/${a.id}/merge`)).header('authorization', admin.token).json({ sourceId: b.id })).assertStatus(409)
    assert.equal((await Conversation.findOrFail(bConversation.id)).contactId, b.id)
    assert.isNull((await Contact.findOrFail(b.id)).mergedIntoId)
    ;(await client.post(url(admin.provider.id, `/contacts/${a.id}/merge`)).header('authorization', agent.token).json({ sourceId: b.id })).assertStatus(403)
    const foreign = await createContact(outsider.provider.id)
    ;(await client.post(url(admin.provider.id, `/contacts/${a.id}/merge`)).header('authorization', admin.token).json({ sourceId: foreign.id })).assertStatus(404)
    ;(await client.delete(url(admin.provider.id, `/contacts/${a.id}`)).header('authorization', admin.token)).assertStatus(409)
  })
})
