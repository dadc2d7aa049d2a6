import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember, createSuperadmin } from '#tests/helpers/tenancy'

/** The staff pages (dashboard, supervision board, CSAT settings): who may open them and what they get. */
const PAGES: Record<string, string> = {
  '/dashboard': 'dashboard',
  '/supervision': 'supervision',
  '/settings/csat': 'settings/csat',
}

test.group('Web staff pages', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('supervisors and admins open each page with the provider timezone; only admins may edit', async ({ client }) => {
    for (const role of ['supervisor', 'admin'] as const) {
      const { user, provider } = await createMember(null, role)
      provider.timezone = 'America/Manaus'
      await provider.save()
      for (const [path, component] of Object.entries(PAGES)) {
        const page = await client.get(path).loginAs(user).withInertia()
        page.assertStatus(200)
        page.assertInertiaComponent(component)
        page.assertInertiaPropsContains({ timezone: 'America/Manaus', canEdit: role === 'admin' })
      }
    }
  })

  test('an agent is sent back to the inbox with a notice from each page', async ({ client }) => {
    const { user } = await createMember(null, 'agent')
    for (const path of Object.keys(PAGES)) {
      const response = await client.get(path).loginAs(user).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/')
      response.assertFlashMessage('error', 'forbidden')
    }
  })

  test('the superadmin may open them; anonymous visitors are sent to /login', async ({ client }) => {
    const { user: root } = await createSuperadmin()
    const page = await client.get('/dashboard').loginAs(root).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('dashboard')
    for (const path of Object.keys(PAGES)) {
      const anonymous = await client.get(path).redirects(0)
      anonymous.assertStatus(302)
      anonymous.assertHeader('location', '/login')
    }
  })
})
