import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { fixture } from '#tests/helpers/fixtures'
import { createMember, type Member } from '#tests/helpers/tenancy'

/** `GET …/contacts/:id/isp`: the agent's contact panel asks the provider's ISP system on demand. */
test.group('Contact ISP data on demand', (group) => {
  let sgp: FakeSgp
  let admin: Member
  let base: string

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    sgp = await FakeSgp.start()
    admin = await createMember(null, 'admin')
    base = `/api/v1/providers/${admin.provider.id}`
    return async () => {
      await sgp.close()
      await truncate()
    }
  })

  async function configureSgp(client: any) {
    const config = { baseUrl: sgp.baseUrl, app: sgp.app, token: sgp.token }
    ;(await client.put(`${base}/settings/isp`).header('authorization', admin.token).json({ plugin: 'sgp', config })).assertStatus(200)
  }

  async function contact(client: any, body: Record<string, unknown>) {
    const response = await client.post(`${base}/contacts`).header('authorization', admin.token).json(body)
    response.assertStatus(201)
    return response.body().id as number
  }

  test('by the contact\'s CPF: contracts with connection and open invoices, no logins or passwords', async ({ client, assert }) => {
    await configureSgp(client)
    const agent = await createMember(admin.provider, 'agent')
    const id = await contact(client, { name: 'Maria', phone: '5511988887777', document: '123.456.789-09' })

    const response = await client.get(`${base}/contacts/${id}/isp`).header('authorization', agent.token)
    response.assertStatus(200)
    const body = response.body()
    assert.isTrue(body.configured)
    assert.equal(body.plugin, 'sgp')
    assert.equal(body.lookedUpBy, 'cpfCnpj')
    assert.deepEqual(body.contracts.map((c: any) => c.id), ['10457', '11902'])
    const [active, suspended] = body.contracts
    assert.equal(active.holderName, 'MARIA APARECIDA SOUZA')
    assert.equal(active.connection.state, 'offline')
    assert.equal(suspended.connection.state, 'suspended')
    const invoice = fixture('sgp-fatura2via-response.json').links[0]
    assert.equal(active.openInvoices[0].pixCode, invoice.codigopix)
    assert.equal(active.openInvoices[0].boletoLine, invoice.linhadigitavel)
    assert.notMatch(JSON.stringify(body), /k7p2x9qa|contratoCentralSenha|senha|password/i)
    assert.lengthOf(sgp.calls('consultacliente'), 1)
    assert.equal(sgp.calls('consultacliente')[0].body.cpfcnpj, '12345678909')
  })

  test('falls back to the CPF the AI learned, then to the phone; an explicit CPF wins', async ({ client, assert }) => {
    await configureSgp(client)
    const byPhone = await contact(client, { name: 'Maria', phone: '5511999990001' })
    let response = await client.get(`${base}/contacts/${byPhone}/isp`).header('authorization', admin.token)
    response.assertStatus(200)
    assert.equal(response.body().lookedUpBy, 'phone')
    assert.isTrue(response.body().found)

    const learned = await contact(client, { name: 'Outro número', phone: '5511911112222' })
    const inbox = await db.table('inboxes').insert({ provider_id: admin.provider.id, name: 'WA', plugin_id: 'evolution', config: '{}', webhook_key: 'k-isp-1' }).returning('id')
    await db.table('conversations').insert({
      provider_id: admin.provider.id,
      inbox_id: inbox[0].id,
      contact_id: learned,
      status: 'resolved',
      ai_state: JSON.stringify({ cpfCnpj: '12345678909' }),
    })
    response = await client.get(`${base}/contacts/${learned}/isp`).header('authorization', admin.token)
    assert.equal(response.body().lookedUpBy, 'cpfCnpj')
    assert.lengthOf(response.body().contracts, 2)

    response = await client.get(`${base}/contacts/${learned}/isp`).qs({ cpfCnpj: '98765432100' }).header('authorization', admin.token)
    response.assertStatus(200)
    assert.isFalse(response.body().found)
    assert.lengthOf(response.body().contracts, 0)
  })

  test('no ISP system configured says so without calling anything', async ({ client, assert }) => {
    const id = await contact(client, { name: 'Maria', document: '12345678909' })
    const response = await client.get(`${base}/contacts/${id}/isp`).header('authorization', admin.token)
    response.assertStatus(200)
    assert.deepEqual(response.body(), { configured: false })
    assert.lengthOf(sgp.requests, 0)
  })

  test('bad input is a 422 and the ISP system is not called', async ({ client, assert }) => {
    await configureSgp(client)
    const id = await contact(client, { name: 'Maria', phone: '5511999990001' })
    const response = await client.get(`${base}/contacts/${id}/isp`).qs({ cpfCnpj: '111.111.111-12' }).header('authorization', admin.token)
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'cpfCnpj')
    const noKey = await contact(client, { name: 'Sem dados' })
    ;(await client.get(`${base}/contacts/${noKey}/isp`).header('authorization', admin.token)).assertStatus(422)
    assert.lengthOf(sgp.requests, 0)
  })

  test('an ISP system that fails answers 502 naming it; a failing operation is reported per contract', async ({ client, assert }) => {
    await configureSgp(client)
    const id = await contact(client, { name: 'Maria', document: '12345678909' })
    sgp.missingRoutes.add('verificaacesso')
    let response = await client.get(`${base}/contacts/${id}/isp`).header('authorization', admin.token)
    response.assertStatus(200)
    assert.isNull(response.body().contracts[0].connection)
    assert.equal(response.body().contracts[0].problems[0].operation, 'connection')
    assert.isNotNull(response.body().contracts[0].openInvoices)

    sgp.failStatus = 502
    response = await client.get(`${base}/contacts/${id}/isp`).header('authorization', admin.token)
    response.assertStatus(502)
    assert.match(response.body().errors[0].message, /ISP system/)
  })

  test('another provider\'s contact is a 404 and its ISP system is never asked', async ({ client, assert }) => {
    await configureSgp(client)
    const id = await contact(client, { name: 'Maria', document: '12345678909' })
    const stranger = await createMember(null, 'admin')
    const response = await client.get(`/api/v1/providers/${stranger.provider.id}/contacts/${id}/isp`).header('authorization', stranger.token)
    response.assertStatus(404)
    ;(await client.get(`${base}/contacts/${id}/isp`).header('authorization', stranger.token)).assertStatus(404) // not a member: the provider does not exist for them
    assert.lengthOf(sgp.requests, 0)
  })
})
