import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember } from '#tests/helpers/tenancy'

/** Reads the JSON log lines of the test run (LOG_FILE) until one matches, since the transport is async. */
async function waitForLogLine(predicate: (line: Record<string, any>) => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const text = await readFile(app.makePath(env.get('LOG_FILE')!), 'utf8').catch(() => '')
    const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line))
    const found = lines.filter(predicate)
    if (found.length) return { found, text }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('log line never appeared')
}

test.group('Structured logs', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  group.each.setup(() => {
    const previous = logger.level
    logger.level = 'debug'
    return () => void (logger.level = previous)
  })

  test('a password and a token sent in requests never reach the log, while the request does', async ({ client, assert }) => {
    const logFile = app.makePath(env.get('LOG_FILE')!)
    await mkdir(dirname(logFile), { recursive: true })
    await writeFile(logFile, '')
    const { user, provider, token } = await createMember(null, 'admin')
    const issued = await client
      .post('/api/v1/auth/tokens')
      .header('x-request-id', 'log-test-login')
      .json({ email: user.email, password: DEFAULT_TEST_PASSWORD })
    issued.assertStatus(200)

    await client
      .get(`/api/v1/providers/${provider.id}/members`)
      .header('x-request-id', 'log-test-members')
      .header('authorization', token)

    const login = await waitForLogLine((line) => line.request_id === 'log-test-login' && line.msg === 'request')
    const members = await waitForLogLine((line) => line.request_id === 'log-test-members' && line.msg === 'request')

    assert.equal(login.found[0].body.password, '[redacted]')
    assert.equal(login.found[0].status, 200)
    assert.equal(members.found[0].headers.authorization, '[redacted]')
    assert.equal(members.found[0].provider_id, provider.id)

    assert.notInclude(members.text, DEFAULT_TEST_PASSWORD)
    assert.notInclude(members.text, token.replace('Bearer ', ''))
    assert.notInclude(members.text, issued.body().token)
  })
})
