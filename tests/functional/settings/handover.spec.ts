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

test.group('AI system prompt preview', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('admins and supervisors see the prompt built from the profile and persona, with no secret; agents and strangers do not', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const base = `/api/v1/providers/${admin.provider.id}`
    ;(await client.patch(base).header('authorization', admin.token).json({ persona: { agentName: 'Ana Fibra', style: 'simpática e objetiva' } })).assertStatus(200)
    ;(await client.put(`${base}/settings/ai`).header('authorization', admin.token).json({ plugin: 'openai', config: { baseUrl: 'http://127.0.0.1:9', apiKey: 'sk-secret-never-shown', model: 'gpt-4o-mini' } })).assertStatus(200)
    const preview = await client.get(`${base}/settings/ai/prompt-preview`).header('authorization', admin.token)
    preview.assertStatus(200)
    assert.include(preview.body().prompt, 'Ana Fibra')
    assert.include(preview.body().prompt, admin.provider.name)
    assert.notInclude(JSON.stringify(preview.body()), 'sk-secret-never-shown')
    assert.notInclude(preview.body().tools, 'find_customer') // no ISP system configured: no ISP tools
    const supervisor = await createMember(admin.provider, 'supervisor')
    ;(await client.get(`${base}/settings/ai/prompt-preview`).header('authorization', supervisor.token)).assertStatus(200)
    const agent = await createMember(admin.provider, 'agent')
    ;(await client.get(`${base}/settings/ai/prompt-preview`).header('authorization', agent.token)).assertStatus(403)
    const stranger = await createMember(null, 'admin')
    ;(await client.get(`${base}/settings/ai/prompt-preview`).header('authorization', stranger.token)).assertStatus(404)
  })
})
