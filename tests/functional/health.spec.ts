import { test } from '@japa/runner'

test.group('Health', () => {
  test('live answers 200', async ({ client }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    response.assertBodyContains({ status: 'ok' })
  })

  test('ready checks PostgreSQL and Redis', async ({ client, assert }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    assert.isTrue(response.body().checks.database.ok)
    assert.isTrue(response.body().checks.redis.ok)
  })

})
