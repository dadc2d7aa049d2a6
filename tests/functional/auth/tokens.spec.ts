import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember, suspend } from '#tests/helpers/tenancy'

test.group('API tokens', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('exchanges e-mail and password for a token that authenticates API calls', async ({ client, assert }) => {
    const { user } = await createMember(null, 'agent')

    const created = await client.post('/api/v1/auth/tokens').json({ email: user.email.toUpperCase(), password: DEFAULT_TEST_PASSWORD })
    created.assertStatus(200)
    const token = created.body().token as string
    assert.match(token, /^nio_/)

    const me = await client.get('/api/v1/me').header('authorization', `Bearer ${token}`)
    me.assertStatus(200)
    assert.equal(me.body().email, user.email)
    assert.notProperty(me.body(), 'password')
  })

  test('wrong password answers 401 in the error format', async ({ client }) => {
    const { user } = await createMember(null, 'agent')
    const response = await client.post('/api/v1/auth/tokens').json({ email: user.email, password: 'nope-nope' })
    response.assertStatus(401)
    response.assertBody({ errors: [{ message: 'Invalid e-mail or password' }] })
  })

  test('missing fields answer 422 naming each field', async ({ client, assert }) => {
    const response = await client.post('/api/v1/auth/tokens').json({ email: 'not-an-email' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['email', 'password'])
  })

  test('no or bad credentials on a protected route answer 401', async ({ client }) => {
    ;(await client.get('/api/v1/me')).assertStatus(401)
    ;(await client.get('/api/v1/me').header('authorization', 'Bearer nio_forged')).assertStatus(401)
  })

  test('lists and revokes my tokens; a revoked token stops working', async ({ client, assert }) => {
    const { user, token } = await createMember(null, 'agent')
    const second = await client.post('/api/v1/auth/tokens').json({ email: user.email, password: DEFAULT_TEST_PASSWORD, name: 'script' })

    const list = await client.get('/api/v1/auth/tokens').header('authorization', token)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 2)
    assert.notProperty(list.body().data[0], 'token')

    const revoked = await client.delete(`/api/v1/auth/tokens/${second.body().id}`).header('authorization', token)
    revoked.assertStatus(204)
    ;(await client.get('/api/v1/me').header('authorization', `Bearer ${second.body().token}`)).assertStatus(401)
  })

  test('a user cannot revoke somebody else\'s token', async ({ client }) => {
    const alice = await createMember(null, 'agent')
    const bob = await createMember(null, 'agent')
    const bobTokens = await client.get('/api/v1/auth/tokens').header('authorization', bob.token)
    const bobTokenId = bobTokens.body().data[0].id
    ;(await client.delete(`/api/v1/auth/tokens/${bobTokenId}`).header('authorization', alice.token)).assertStatus(404)
    ;(await client.get('/api/v1/me').header('authorization', bob.token)).assertStatus(200)
  })

  test('members of a suspended provider cannot get a token', async ({ client }) => {
    const { user, provider } = await createMember(null, 'admin')
    await suspend(provider)
    const response = await client.post('/api/v1/auth/tokens').json({ email: user.email, password: DEFAULT_TEST_PASSWORD })
    response.assertStatus(403)
  })

  test('login attempts are rate limited per e-mail and IP', async ({ client }) => {
    const { user } = await createMember(null, 'agent')
    for (let i = 0; i < 10; i++) {
      await client.post('/api/v1/auth/tokens').json({ email: user.email, password: 'wrong-password' })
    }
    const blocked = await client.post('/api/v1/auth/tokens').json({ email: user.email, password: DEFAULT_TEST_PASSWORD })
    blocked.assertStatus(429)
    blocked.assertHeader('retry-after')
  })
})
