import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember, createSuperadmin } from '#tests/helpers/tenancy'

const SECTIONS: Record<string, string> = {
  'inboxes': 'admin/inboxes',
  'members': 'admin/members',
  'teams': 'admin/teams',
  'canned-responses': 'admin/canned_responses',
  'profile': 'admin/profile',
  'integrations': 'admin/integrations',
  'handover': 'admin/handover',
  'audit': 'admin/audit',
}

test.group('Web administration pages', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a provider admin opens every section; /admin goes to the inboxes', async ({ client }) => {
    const { user } = await createMember(null, 'admin')
    for (const [section, component] of Object.entries(SECTIONS)) {
      const page = await client.get(`/admin/${section}`).loginAs(user).withInertia()
      page.assertStatus(200)
      page.assertInertiaComponent(component)
    }
    const root = await client.get('/admin').loginAs(user).redirects(0)
    root.assertStatus(302)
    root.assertHeader('location', '/admin/inboxes')
  })

  test('agents and supervisors are sent back to the inbox with a notice, from sections and the providers list', async ({ client }) => {
    for (const role of ['agent', 'supervisor'] as const) {
      const { user } = await createMember(null, role)
      for (const path of ['/admin/inboxes', '/admin/audit', '/admin/providers']) {
        const response = await client.get(path).loginAs(user).redirects(0)
        response.assertStatus(302)
        response.assertHeader('location', '/')
        response.assertFlashMessage('error', 'forbidden')
      }
    }
  })

  test('only the superadmin opens the providers list; one without a provider of its own is sent there from the sections', async ({ client }) => {
    const { user: admin } = await createMember(null, 'admin')
    ;(await client.get('/admin/providers').loginAs(admin).redirects(0)).assertHeader('location', '/')
    const { user: root } = await createSuperadmin()
    const list = await client.get('/admin/providers').loginAs(root).withInertia()
    list.assertStatus(200)
    list.assertInertiaComponent('admin/providers')
    const section = await client.get('/admin/teams').loginAs(root).redirects(0)
    section.assertStatus(302)
    section.assertHeader('location', '/admin/providers')
  })

  test('an unknown section is a 404 and anonymous visitors are sent to /login', async ({ client }) => {
    const { user } = await createMember(null, 'admin')
    ;(await client.get('/admin/secrets').loginAs(user)).assertStatus(404)
    const anonymous = await client.get('/admin/inboxes').redirects(0)
    anonymous.assertStatus(302)
    anonymous.assertHeader('location', '/login')
  })
})
