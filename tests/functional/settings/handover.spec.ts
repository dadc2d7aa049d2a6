import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Team from '#models/team'
import AuditLog from '#models/audit_log'
import handoverSettings from '#services/handover_settings_service'
import { createMember } from '#tests/helpers/tenancy'

async function team(providerId: number, name: string) {
  return Team.create({ providerId, name, autoAssign: false, maxOpenPerAgent: 0 })
}

test.group('Hand-over settings', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an admin maps reasons to teams with a default; the AI resolves a reason to its team', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const support = await team(admin.provider.id, 'Suporte técnico')
    const billing = await team(admin.provider.id, 'Financeiro')
    const url = `/api/v1/providers/${admin.provider.id}/settings/handover`

    const empty = await client.get(url).header('authorization', admin.token)
    empty.assertStatus(200)
    empty.assertBody({ teams: { technical: null, financial: null, sales: null, general: null }, defaultTeamId: null })

    const saved = await client
      .put(url)
      .header('authorization', admin.token)
      .json({ teams: { technical: support.id, financial: billing.id }, defaultTeamId: billing.id })
    saved.assertStatus(200)
    assert.equal(saved.body().teams.technical, support.id)

    assert.equal(await handoverSettings.teamFor(admin.provider.id, 'technical'), support.id)
    assert.equal(await handoverSettings.teamFor(admin.provider.id, 'sales'), billing.id) // default
    assert.isNotNull(await AuditLog.findBy('action', 'settings.handover.updated'))
  })

  test('another provider\'s team or a malformed value is a 422 and nothing changes', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const other = await createMember(null, 'admin')
    const foreign = await team(other.provider.id, 'Deles')
    const url = `/api/v1/providers/${admin.provider.id}/settings/handover`

    const refused = await client.put(url).header('authorization', admin.token).json({ teams: { sales: foreign.id } })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'teams.sales')
    ;(await client.put(url).header('authorization', admin.token).json({ defaultTeamId: 'x' })).assertStatus(422)
    assert.isNull(await handoverSettings.teamFor(admin.provider.id, 'sales'))
  })

  test('supervisors read, agents cannot; other providers get 404', async ({ client }) => {
    const admin = await createMember(null, 'admin')
    const supervisor = await createMember(admin.provider, 'supervisor')
    const agent = await createMember(admin.provider, 'agent')
    const outsider = await createMember(null, 'admin')
    const url = `/api/v1/providers/${admin.provider.id}/settings/handover`
    ;(await client.get(url).header('authorization', supervisor.token)).assertStatus(200)
    ;(await client.put(url).header('authorization', supervisor.token).json({})).assertStatus(403)
    ;(await client.get(url).header('authorization', agent.token)).assertStatus(403)
    ;(await client.get(url).header('authorization', outsider.token)).assertStatus(404)
  })
})
