import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import queues from '#services/queue_service'
import { DEFAULT_CSAT_TEXTS, inactivitySchedulerId } from '#services/csat_service'
import { createMember } from '#tests/helpers/tenancy'

const path = (providerId: number) => `/api/v1/providers/${providerId}/settings/csat`

test.group('CSAT settings', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('defaults before anything is saved: on, 120 s, 24 h, follow-up on, no auto-resolve, texts in both locales', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const response = await client.get(path(admin.provider.id)).header('authorization', admin.token)
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      enabled: true,
      delaySeconds: 120,
      answerWindowHours: 24,
      followUpEnabled: true,
      inactivityMinutes: 0,
      texts: DEFAULT_CSAT_TEXTS,
    })
    for (const emoji of ['😡', '😕', '😐', '🙂', '🤩']) {
      assert.include(response.body().texts['pt-BR'].question, emoji)
      assert.include(response.body().texts.en.question, emoji)
    }
  })

  test('PUT changes only what it names, is audited, and GET returns it', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const put = await client
      .put(path(admin.provider.id))
      .header('authorization', admin.token)
      .json({ delaySeconds: 30, followUpEnabled: false, texts: { en: { thanks: 'Cheers!' } } })
    put.assertStatus(200)
    assert.equal(put.body().delaySeconds, 30)
    assert.isFalse(put.body().followUpEnabled)
    assert.equal(put.body().texts.en.thanks, 'Cheers!')
    assert.equal(put.body().texts.en.question, DEFAULT_CSAT_TEXTS.en.question)
    assert.equal(put.body().texts['pt-BR'].thanks, DEFAULT_CSAT_TEXTS['pt-BR'].thanks)

    const again = await client.put(path(admin.provider.id)).header('authorization', admin.token).json({ enabled: false })
    assert.equal(again.body().delaySeconds, 30) // kept
    const shown = await client.get(path(admin.provider.id)).header('authorization', admin.token)
    assert.deepEqual(shown.body(), again.body())
    assert.isFalse(shown.body().enabled)

    const audits = await db.from('audit_logs').where({ provider_id: admin.provider.id, action: 'settings.csat.updated' })
    assert.lengthOf(audits, 2)
  })

  test('auto-resolve on inactivity creates a repeatable job for the provider; 0 removes it', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const queue = queues.get('csat')
    await client.put(path(admin.provider.id)).header('authorization', admin.token).json({ inactivityMinutes: 45 }).then((r) => r.assertStatus(200))
    const scheduler = await queue.getJobScheduler(inactivitySchedulerId(admin.provider.id))
    assert.exists(scheduler)
    assert.equal(scheduler!.name, 'csat.inactivity')
    assert.equal(Number(scheduler!.every), 60_000)

    await client.put(path(admin.provider.id)).header('authorization', admin.token).json({ inactivityMinutes: 0 }).then((r) => r.assertStatus(200))
    assert.notExists(await queue.getJobScheduler(inactivitySchedulerId(admin.provider.id)))
  })

  test('bad input is 422 and stores nothing', async ({ client, assert }) => {
    const admin = await createMember(null, 'admin')
    const bad = [
      { delaySeconds: -1 },
      { delaySeconds: 1.5 },
      { answerWindowHours: 0 },
      { inactivityMinutes: 'soon' },
      { enabled: 'maybe' },
      { texts: { en: { question: 'x'.repeat(1001) } } },
      { texts: { 'pt-BR': { thanks: '' } } },
    ]
    for (const body of bad) {
      const response = await client.put(path(admin.provider.id)).header('authorization', admin.token).json(body)
      assert.equal(response.status(), 422, JSON.stringify(body))
      assert.isAbove(response.body().errors.length, 0)
    }
    const rows = await db.from('provider_settings').where({ provider_id: admin.provider.id, kind: 'csat' })
    assert.lengthOf(rows, 0)
  })

  test('supervisors may read but not change; agents may do neither; other providers get 404', async ({ client }) => {
    const admin = await createMember(null, 'admin')
    const supervisor = await createMember(admin.provider, 'supervisor')
    const agent = await createMember(admin.provider, 'agent')
    const stranger = await createMember(null, 'admin')
    const at = path(admin.provider.id)
    ;(await client.get(at).header('authorization', supervisor.token)).assertStatus(200)
    ;(await client.put(at).header('authorization', supervisor.token).json({ enabled: false })).assertStatus(403)
    ;(await client.get(at).header('authorization', agent.token)).assertStatus(403)
    ;(await client.put(at).header('authorization', agent.token).json({ enabled: false })).assertStatus(403)
    ;(await client.get(at).header('authorization', stranger.token)).assertStatus(404)
    ;(await client.put(at).header('authorization', stranger.token).json({ enabled: false })).assertStatus(404)
  })
})
