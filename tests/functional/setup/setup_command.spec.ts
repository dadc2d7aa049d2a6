import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import testUtils from '@adonisjs/core/services/test_utils'
import { Secret } from '@adonisjs/core/helpers'
import env from '#start/env'
import User from '#models/user'
import NiochatSetup from '#commands/niochat_setup'
import setup from '#services/setup_service'

test.group('niochat:setup', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('creates the superadmin, is idempotent, and the account gets an API token', async ({ client, assert }) => {
    for (let run = 0; run < 2; run++) {
      const command = await ace.create(NiochatSetup, ['--email', 'Root@Example.com', '--password', 'first-password-1'])
      await command.exec()
      command.assertSucceeded()
    }
    const users = await User.query().where('email', 'root@example.com')
    assert.lengthOf(users, 1)
    assert.isTrue(users[0].isSuperadmin)

    const token = await client.post('/api/v1/auth/tokens').json({ email: 'root@example.com', password: 'first-password-1' })
    token.assertStatus(200)
    const created = await client.post('/api/v1/providers').header('authorization', `Bearer ${token.body().token}`).json({ name: 'Fibra Sul' })
    created.assertStatus(201)
  })

  test('--provider adds a first provider with the superadmin as admin and a simulator inbox, once', async ({ client, assert }) => {
    for (let run = 0; run < 2; run++) {
      const command = await ace.create(NiochatSetup, ['--email', 'root@example.com', '--password', 'first-password-1', '--provider', 'Fibra Norte'])
      await command.exec()
      command.assertSucceeded()
    }
    const token = await client.post('/api/v1/auth/tokens').json({ email: 'root@example.com', password: 'first-password-1' })
    const auth = `Bearer ${token.body().token}`
    const mine = await client.get('/api/v1/me').header('authorization', auth)
    const memberships = mine.body().memberships.filter((m: any) => m.providerName === 'Fibra Norte')
    assert.lengthOf(memberships, 1)
    assert.equal(memberships[0].role, 'admin')
    const inboxes = await client.get(`/api/v1/providers/${memberships[0].providerId}/inboxes`).header('authorization', auth)
    assert.deepEqual(inboxes.body().data.map((inbox: any) => inbox.plugin), ['simulator'])

    const blank = await ace.create(NiochatSetup, ['--email', 'root@example.com', '--password', 'first-password-1', '--provider', ' '])
    await blank.exec()
    blank.assertFailed()
  })

  test('running it again changes the password', async ({ client }) => {
    await (await ace.create(NiochatSetup, ['--email', 'root@example.com', '--password', 'first-password-1'])).exec()
    await (await ace.create(NiochatSetup, ['--email', 'root@example.com', '--password', 'second-password-2'])).exec()
    ;(await client.post('/api/v1/auth/tokens').json({ email: 'root@example.com', password: 'first-password-1' })).assertStatus(401)
    ;(await client.post('/api/v1/auth/tokens').json({ email: 'root@example.com', password: 'second-password-2' })).assertStatus(200)
  })

  test('refuses an invalid e-mail or short password', async ({ assert }) => {
    const command = await ace.create(NiochatSetup, ['--email', 'not-an-email', '--password', 'short'])
    await command.exec()
    command.assertFailed()
    assert.equal(await User.query().count('* as n').first().then((row) => Number(row!.$extras.n)), 0)
  })

  test('first boot creates the superadmin from NIOCHAT_ADMIN_EMAIL / NIOCHAT_ADMIN_PASSWORD once', async ({ assert, cleanup }) => {
    env.set('NIOCHAT_ADMIN_EMAIL', 'boot@example.com')
    env.set('NIOCHAT_ADMIN_PASSWORD', new Secret('boot-password-1') as any)
    cleanup(() => {
      env.set('NIOCHAT_ADMIN_EMAIL', undefined as any)
      env.set('NIOCHAT_ADMIN_PASSWORD', undefined as any)
    })
    await setup.fromEnvironment()
    const user = await User.findByOrFail('email', 'boot@example.com')
    assert.isTrue(user.isSuperadmin)

    // A later boot does not reset a password the admin has changed since.
    user.password = 'changed-later-1'
    await user.save()
    await setup.fromEnvironment()
    await User.verifyCredentials('boot@example.com', 'changed-later-1')
  })
})
