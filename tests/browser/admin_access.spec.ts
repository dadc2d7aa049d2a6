import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember, createSuperadmin } from '#tests/helpers/tenancy'
import { clickForToast, shootBoth } from '#tests/browser/admin_support'
import { signIn } from '#tests/browser/support'

const SECTIONS = ['inboxes', 'members', 'teams', 'canned-responses', 'profile', 'integrations', 'handover', 'audit']

test.group('Administration: who may open it', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('agents and supervisors see no administration link and are sent back from every admin page', async ({ visit, assert }) => {
    for (const role of ['agent', 'supervisor'] as const) {
      const member = await createMember(null, role)
      const page = await signIn(visit, member.user.email)
      await page.assertNotExists('a[href^="/admin"]')
      // Every section for the agent; a few for the supervisor (the same rule guards them all).
      for (const section of role === 'agent' ? [...SECTIONS, 'providers'] : ['inboxes', 'audit', 'providers']) {
        await page.goto(`/admin/${section}`)
        await page.waitForURL((url: URL) => url.pathname === '/')
      }
      await page.assertTextContains('[role="alert"]', 'Seu papel não permite abrir esta página.')
      // The API behind the pages refuses too.
      const status = await page.evaluate(async (providerId: number) => (await fetch(`/api/v1/providers/${providerId}/audit-logs`)).status, member.provider.id)
      assert.equal(status, 403)
      await page.getByRole('button', { name: 'Sair' }).click()
      await page.waitForURL((url: URL) => url.pathname === '/login')
    }
  })

  test('an admin sees the provider sections but not the providers list', async ({ visit }) => {
    const admin = await createMember(null, 'admin')
    const page = await signIn(visit, admin.user.email)
    await page.assertExists('a[href="/admin/inboxes"]')
    await page.assertNotExists('a[href="/admin/providers"]')
    await page.goto('/admin/providers')
    await page.waitForURL((url: URL) => url.pathname === '/')
    await page.goto('/admin/nothing-here')
    await page.assertTextContains('body', 'Not found')
  })

  test('the superadmin creates a provider with its first admin, suspends it (its admin can no longer sign in) and reactivates it', async ({ visit, assert }) => {
    const root = await createSuperadmin()
    const page = await signIn(visit, root.user.email)
    await page.assertNotExists('a[href="/admin/inboxes"]') // no provider of its own to administer
    await page.getByRole('link', { name: 'Provedores' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/admin/providers')
    await page.goto('/admin/inboxes')
    await page.waitForURL((url: URL) => url.pathname === '/admin/providers')
    const form = page.getByTestId('provider-form')
    await form.getByLabel('Nome do novo provedor').fill('F')
    await form.getByRole('button', { name: 'Criar provedor' }).click()
    await form.locator('#provider-name-error').waitFor() // too short, reported in place
    await form.getByLabel('Nome do novo provedor').fill('Fibra Nova Teste')
    await form.getByLabel('Nome', { exact: true }).fill('Carla Admin')
    await form.getByLabel('E-mail').fill('carla@fibranova.example')
    await form.getByLabel('Senha inicial').fill(DEFAULT_TEST_PASSWORD)
    await clickForToast(page, form.getByRole('button', { name: 'Criar provedor' }), 'Provedor criado.')
    const created = await db.from('providers').where('name', 'Fibra Nova Teste').firstOrFail()
    const membership = await db.from('memberships').join('users', 'users.id', 'memberships.user_id').where({ provider_id: created.id, email: 'carla@fibranova.example' }).firstOrFail()
    assert.equal(membership.role, 'admin')

    const row = page.getByTestId(`provider-${created.id}`)
    await row.getByRole('button', { name: 'Suspender' }).click()
    await page.getByRole('alertdialog').getByText('Suspender Fibra Nova Teste?').waitFor()
    await shootBoth(page, 'admin-providers-confirm', assert)
    await page.getByTestId('confirm-accept').click()
    await page.assertTextContains(`[data-testid="provider-${created.id}"] [data-testid="provider-state"]`, 'Suspenso')
    assert.isNotNull((await db.from('providers').where('id', created.id).firstOrFail()).suspended_at)
    await shootBoth(page, 'admin-providers', assert, true)

    // Its admin is refused at the login page while it is suspended.
    await page.getByRole('button', { name: 'Sair' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/login')
    await page.getByLabel('E-mail').fill('carla@fibranova.example')
    await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
    await page.getByRole('button', { name: 'Entrar' }).click()
    await page.locator('[role="alert"]').waitFor()
    assert.equal(new URL(page.url()).pathname, '/login')

    await page.getByLabel('E-mail').fill(root.user.email)
    await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
    await page.getByRole('button', { name: 'Entrar' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/')
    await page.goto('/admin/providers')
    await row.getByRole('button', { name: 'Reativar' }).click()
    await page.assertTextContains(`[data-testid="provider-${created.id}"] [data-testid="provider-state"]`, 'Ativo')
    assert.isNull((await db.from('providers').where('id', created.id).firstOrFail()).suspended_at)
  })
})
