import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditLog from '#models/audit_log'
import Provider from '#models/provider'
import { createMember, createSuperadmin } from '#tests/helpers/tenancy'

test.group('Providers', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('the superadmin creates a provider; anyone else gets 403', async ({ client, assert }) => {
    const admin = await createSuperadmin()
    const created = await client.post('/api/v1/providers').header('authorization', admin.token).json({ name: 'Fibra Norte' })
    created.assertStatus(201)
    assert.equal(created.body().name, 'Fibra Norte')
    assert.equal(created.body().timezone, 'America/Sao_Paulo')
    assert.isNumber(created.body().id)

    const member = await createMember(null, 'admin')
    const refused = await client.post('/api/v1/providers').header('authorization', member.token).json({ name: 'Mine' })
    refused.assertStatus(403)
    assert.equal(await Provider.query().where('name', 'Mine').count('* as n').first().then((r) => Number(r!.$extras.n)), 0)
  })

  test('creating a provider validates its name and timezone', async ({ client, assert }) => {
    const admin = await createSuperadmin()
    const response = await client
      .post('/api/v1/providers')
      .header('authorization', admin.token)
      .json({ name: '', timezone: 'Mars/Olympus' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['name', 'timezone'])
  })

  test('an admin updates the profile the AI quotes, and the change is audited', async ({ client, assert }) => {
    const { provider, token, user } = await createMember(null, 'admin')
    const response = await client
      .patch(`/api/v1/providers/${provider.id}`)
      .header('authorization', token)
      .json({
        site: 'https://fibranorte.com.br',
        businessHours: { mon: [{ from: '08:00', to: '18:00' }], sun: [] },
        plans: [{ name: '500 Mega', speed: '500 Mbps', price: 99.9 }],
        fees: [{ name: 'Religação', amount: 50 }],
        documents: ['RG', 'CPF', 'Comprovante de residência'],
        persona: { agentName: 'Ana', emojiUse: 'low' },
        settings: { agentsSeeBotConversations: true },
      })
    response.assertStatus(200)
    assert.equal(response.body().plans[0].name, '500 Mega')
    assert.equal(response.body().persona.agentName, 'Ana')

    await provider.refresh()
    assert.deepEqual(provider.documents, ['RG', 'CPF', 'Comprovante de residência'])
    const log = await AuditLog.query().where({ providerId: provider.id, action: 'provider.updated' }).firstOrFail()
    assert.equal(log.userId, user.id)
    assert.property(log.after, 'plans')
    assert.notProperty(log.after, 'name') // unchanged fields are not recorded
  })

  test('invalid profile data answers 422 and changes nothing', async ({ client, assert }) => {
    const { provider, token } = await createMember(null, 'admin')
    const response = await client
      .patch(`/api/v1/providers/${provider.id}`)
      .header('authorization', token)
      .json({ name: 'Renamed', document: '11.111.111/1111-11', businessHours: { mon: [{ from: '25:00', to: '18:00' }] } })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['document', 'businessHours.mon.0.from'])
    await provider.refresh()
    assert.notEqual(provider.name, 'Renamed')
  })

  test('supervisors and agents read the profile but cannot change it', async ({ client }) => {
    const { provider } = await createMember(null, 'admin')
    for (const role of ['supervisor', 'agent'] as const) {
      const member = await createMember(provider, role)
      ;(await client.get(`/api/v1/providers/${provider.id}`).header('authorization', member.token)).assertStatus(200)
      const patch = await client.patch(`/api/v1/providers/${provider.id}`).header('authorization', member.token).json({ name: 'X' })
      patch.assertStatus(403)
      patch.assertBody({ errors: [{ message: 'Your role does not allow this action' }] })
    }
  })

  test('only the superadmin suspends; members of a suspended provider are refused', async ({ client, assert }) => {
    const superadmin = await createSuperadmin()
    const { provider, token } = await createMember(null, 'admin')

    ;(await client.post(`/api/v1/providers/${provider.id}/suspend`).header('authorization', token)).assertStatus(403)

    const suspended = await client.post(`/api/v1/providers/${provider.id}/suspend`).header('authorization', superadmin.token)
    suspended.assertStatus(200)
    assert.isTrue(suspended.body().suspended)

    ;(await client.get(`/api/v1/providers/${provider.id}`).header('authorization', token)).assertStatus(403)
    ;(await client.get(`/api/v1/providers/${provider.id}`).header('authorization', superadmin.token)).assertStatus(200)

    ;(await client.post(`/api/v1/providers/${provider.id}/unsuspend`).header('authorization', superadmin.token)).assertStatus(200)
    ;(await client.get(`/api/v1/providers/${provider.id}`).header('authorization', token)).assertStatus(200)
  })

  test('I list only the providers I belong to; the superadmin lists all', async ({ client, assert }) => {
    const a = await createMember(null, 'agent')
    await createMember(null, 'agent')
    const superadmin = await createSuperadmin()

    const mine = await client.get('/api/v1/providers').header('authorization', a.token)
    assert.deepEqual(mine.body().data.map((p: { id: number }) => p.id), [a.provider.id])
    const all = await client.get('/api/v1/providers').header('authorization', superadmin.token)
    assert.lengthOf(all.body().data, 2)
  })
})
