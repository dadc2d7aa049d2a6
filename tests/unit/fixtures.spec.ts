import { test } from '@japa/runner'
import { fixture } from '#tests/helpers/fixtures'

test('recorded fixtures are reachable', ({ assert }) => {
  const upsert = fixture('evolution-messages-upsert-text.json')
  assert.equal(upsert.event, 'messages.upsert')
})
