import { test } from '@japa/runner'

test.group('Health', () => {
  test('live answers 200', async ({ client }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    response.assertBodyContains({ status: 'ok' })
  })
})
