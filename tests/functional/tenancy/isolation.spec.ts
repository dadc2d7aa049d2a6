import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember } from '#tests/helpers/tenancy'

/**
 * Every route under /api/v1/providers/:providerId, present and future (read from the router), is
 * called by a member of provider A with provider B's id: each must answer 404 without revealing or
 * touching anything of B.
 */
test.group('Tenant isolation', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a member of provider A gets 404 on every route of provider B', async ({ client, assert }) => {
    const a = await createMember(null, 'admin')
    const b = await createMember(null, 'admin')

    const routes = Object.values(router.toJSON())
      .flat()
      .filter((route) => route.pattern.startsWith('/api/v1/providers/:providerId'))
    assert.isAbove(routes.length, 5)

    for (const route of routes) {
      const url = route.pattern
        .replace(':providerId', String(b.provider.id))
        .replace(/:[a-zA-Z]+\??/g, '1')
        .replace(/\/\*$/, '/x')
      for (const method of route.methods.filter((m) => m !== 'HEAD')) {
        const response = await client.request(url, method as any).header('authorization', a.token).json({})
        assert.equal(response.status(), 404, `${method} ${url} answered ${response.status()}`)
        assert.notInclude(JSON.stringify(response.body()), b.provider.name)
      }
    }
  })

  test('an unknown or malformed provider id is a 404 too', async ({ client }) => {
    const a = await createMember(null, 'admin')
    ;(await client.get('/api/v1/providers/999999').header('authorization', a.token)).assertStatus(404)
    ;(await client.get('/api/v1/providers/abc').header('authorization', a.token)).assertStatus(404)
  })
})
