import { test } from '@japa/runner'
import { truncate } from '#services/text'

test('truncate never splits an emoji in half', ({ assert }) => {
  const text = `${'a'.repeat(199)}😡 Péssimo`
  const cut = truncate(text, 200)
  assert.equal(cut, 'a'.repeat(199))
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(cut)))
  assert.equal(truncate('curto', 200), 'curto')
  assert.equal(truncate(`${'a'.repeat(198)}😡x`, 200), `${'a'.repeat(198)}😡`)
})
