import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { parse } from 'csv-parse/sync'
import { createMember } from '#tests/helpers/tenancy'

const url = (providerId: number, path: string) => `/api/v1/providers/${providerId}${path}`

test.group('Audit log export with every filter', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  // The export joins users (for the e-mail column); a filter on a column both tables have must still work.
  test('the CSV export takes the same date, actor and target filters as the list, and only this provider', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const outsider = await createMember(null, 'admin')
    const at = (day: number) => new Date(Date.UTC(2026, 2, day, 12)).toISOString()
    await db.table('audit_logs').multiInsert([
      { provider_id: admin.provider.id, user_id: admin.user.id, action: 'contact.updated', target_type: 'contact', target_id: '1', created_at: at(10) },
      { provider_id: admin.provider.id, user_id: admin.user.id, action: 'contact.updated', target_type: 'contact', target_id: '2', created_at: at(20) },
      { provider_id: admin.provider.id, actor_kind: 'ai', action: 'conversation.handed_over', target_type: 'conversation', target_id: '2', created_at: at(21) },
      { provider_id: outsider.provider.id, user_id: outsider.user.id, action: 'contact.updated', target_type: 'contact', target_id: '2', created_at: at(20) },
    ])
    const p = admin.provider.id
    const exported = async (query: string) => {
      const response = await client.get(url(p, `/audit-logs/export?${query}`)).header('authorization', admin.token)
      response.assertStatus(200)
      return parse(response.text(), { columns: true }) as Record<string, string>[]
    }
    const listed = async (query: string) => (await client.get(url(p, `/audit-logs?${query}`)).header('authorization', admin.token)).body().data

    const fromTo = `from=${encodeURIComponent(at(15))}&to=${encodeURIComponent(at(25))}`
    const rows = await exported(fromTo)
    assert.deepEqual(rows.map((r) => r.targetId), ['2', '2'])
    assert.deepEqual(rows.map((r) => r.action), ['conversation.handed_over', 'contact.updated'])
    assert.equal(rows[1].userEmail, admin.user.email)
    assert.lengthOf(await listed(fromTo), 2)

    const byUser = await exported(`${fromTo}&userId=${admin.user.id}&targetType=contact&targetId=2`)
    assert.deepEqual(byUser.map((r) => [r.action, r.targetId]), [['contact.updated', '2']])
    assert.deepEqual((await exported('actorKind=ai')).map((r) => r.action), ['conversation.handed_over'])
    assert.lengthOf(await exported(`to=${encodeURIComponent(at(1))}`), 0)
    ;(await client.get(url(p, '/audit-logs/export?to=soon')).header('authorization', admin.token)).assertStatus(422)
  })
})
