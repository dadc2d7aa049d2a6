import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Membership from '#models/membership'
import User from '#models/user'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember } from '#tests/helpers/tenancy'

test.group('Members', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an admin adds a new person with a password; they can log in', async ({ client }) => {
    const { provider, token } = await createMember(null, 'admin')
    const response = await client
      .post(`/api/v1/providers/${provider.id}/members`)
      .header('authorization', token)
      .json({ name: 'Carla Souza', email: 'Carla@Example.com', password: 'a-good-password', role: 'agent' })
    response.assertStatus(201)
    response.assertBodyContains({ email: 'carla@example.com', role: 'agent', invited: false })

    const login = await client.post('/api/v1/auth/tokens').json({ email: 'carla@example.com', password: 'a-good-password' })
    login.assertStatus(200)
  })

  test('an existing account joins a second provider with its own password; a new e-mail without password is invited', async ({ client, assert }) => {
    const first = await createMember(null, 'agent')
    const second = await createMember(null, 'admin')

    const joined = await client
      .post(`/api/v1/providers/${second.provider.id}/members`)
      .header('authorization', second.token)
      .json({ name: 'ignored', email: first.user.email, role: 'supervisor' })
    joined.assertStatus(201)
    assert.equal(await Membership.query().where('user_id', first.user.id).count('* as n').first().then((r) => Number(r!.$extras.n)), 2)
    ;(await client.post('/api/v1/auth/tokens').json({ email: first.user.email, password: DEFAULT_TEST_PASSWORD })).assertStatus(200)

    const invited = await client
      .post(`/api/v1/providers/${second.provider.id}/members`)
      .header('authorization', second.token)
      .json({ name: 'Nova Pessoa', email: 'nova@example.com', role: 'agent' })
    invited.assertStatus(201)
    assert.isTrue(invited.body().invited)
  })

  test('adding the same person twice answers 422 and stores nothing more', async ({ client, assert }) => {
    const { provider, token, user } = await createMember(null, 'admin')
    const response = await client
      .post(`/api/v1/providers/${provider.id}/members`)
      .header('authorization', token)
      .json({ name: 'Me', email: user.email, role: 'agent' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'email')
    const memberships = await Membership.query().where('user_id', user.id)
    assert.lengthOf(memberships, 1)
    assert.equal(memberships[0].role, 'admin')
  })

  test('bad input answers 422 and creates no account', async ({ client, assert }) => {
    const { provider, token } = await createMember(null, 'admin')
    const response = await client
      .post(`/api/v1/providers/${provider.id}/members`)
      .header('authorization', token)
      .json({ name: 'X', email: 'x@example.com', password: 'short', role: 'owner' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['password', 'role'])
    assert.isNull(await User.findBy('email', 'x@example.com'))
  })

  test('lists members with cursor pagination', async ({ client, assert }) => {
    const { provider, token } = await createMember(null, 'admin')
    for (let i = 0; i < 3; i++) await createMember(provider, 'agent')
    const first = await client.get(`/api/v1/providers/${provider.id}/members?limit=3`).header('authorization', token)
    first.assertStatus(200)
    assert.lengthOf(first.body().data, 3)
    assert.isString(first.body().meta.nextCursor)
    const second = await client
      .get(`/api/v1/providers/${provider.id}/members?limit=3&cursor=${first.body().meta.nextCursor}`)
      .header('authorization', token)
    assert.lengthOf(second.body().data, 1)
    assert.isNull(second.body().meta.nextCursor)
    ;(await client.get(`/api/v1/providers/${provider.id}/members?cursor=%%%`).header('authorization', token)).assertStatus(422)
  })

  test('changes a role and removes a member; the last admin cannot be demoted or removed', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const base = `/api/v1/providers/${admin.provider.id}/members`

    const promoted = await client.patch(`${base}/${agent.user.id}`).header('authorization', admin.token).json({ role: 'supervisor' })
    promoted.assertStatus(200)
    assert.equal(promoted.body().role, 'supervisor')

    const demoteSelf = await client.patch(`${base}/${admin.user.id}`).header('authorization', admin.token).json({ role: 'agent' })
    demoteSelf.assertStatus(422)
    ;(await client.delete(`${base}/${admin.user.id}`).header('authorization', admin.token)).assertStatus(422)

    ;(await client.delete(`${base}/${agent.user.id}`).header('authorization', admin.token)).assertStatus(204)
    ;(await client.get(`${base}/${agent.user.id}`).header('authorization', admin.token)).assertStatus(404)
    ;(await client.get(`/api/v1/providers/${admin.provider.id}`).header('authorization', agent.token)).assertStatus(404)
  })

  test('supervisors and agents list members but cannot change them', async ({ client }) => {
    const admin = await createMember(null, 'admin')
    for (const role of ['supervisor', 'agent'] as const) {
      const member = await createMember(admin.provider, role)
      const base = `/api/v1/providers/${admin.provider.id}/members`
      ;(await client.get(base).header('authorization', member.token)).assertStatus(200)
      ;(await client.post(base).header('authorization', member.token).json({ name: 'A', email: `a-${role}@x.com`, role: 'admin' })).assertStatus(403)
      ;(await client.patch(`${base}/${admin.user.id}`).header('authorization', member.token).json({ role: 'agent' })).assertStatus(403)
      ;(await client.delete(`${base}/${admin.user.id}`).header('authorization', member.token)).assertStatus(403)
    }
  })
})
