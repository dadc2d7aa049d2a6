import { test } from '@japa/runner'
import { container } from 'tsyringe'
import { PluginError, TOKENS, type InstanceContext, type PluginLogger } from '#plugins/sdk'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { fixture } from '#tests/helpers/fixtures'
import { SgpAdapter } from '../sgp_adapter.js'
import type { SgpConfig } from '../sgp_client.js'
import plugin from '../plugin.js'

/** Collects every log line so a test can check that no secret was written. */
function recordingLogger() {
  const lines: string[] = []
  const write = (obj: object | string, msg?: string) => void lines.push(JSON.stringify([obj, msg]))
  const logger: PluginLogger = { debug: write, info: write, warn: write, error: write }
  return { logger, lines }
}

function contextFor(fake: FakeSgp, overrides: Partial<SgpConfig> = {}) {
  const { logger, lines } = recordingLogger()
  const ctx: InstanceContext<SgpConfig> = {
    providerId: 1,
    config: { baseUrl: fake.baseUrl, app: fake.app, token: fake.token, ...overrides },
    logger,
  }
  return { ctx, lines }
}

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PluginError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

/** Every secret the fixture's SGP answers carry. */
function sgpSecrets(token: string) {
  const secrets = new Set<string>([token])
  for (const c of fixture('sgp-consultacliente-response.json').contratos) {
    for (const key of ['servico_senha', 'contratoCentralSenha', 'servico_login']) {
      if (c[key]) secrets.add(String(c[key]))
    }
  }
  secrets.add(fixture('sgp-verificaacesso-response.json').login)
  return [...secrets]
}

test.group('SGP plugin', (group) => {
  let fake: FakeSgp
  const adapter = new SgpAdapter()

  group.each.setup(async () => {
    fake = await FakeSgp.start()
    return () => fake.close()
  })

  test('register() binds the adapter in the plugin container', ({ assert }) => {
    const child = container.createChildContainer()
    plugin.register(child)
    assert.instanceOf(child.resolve(TOKENS.isp), SgpAdapter)
  })

  test('manifest declares an isp plugin with a secret token', ({ assert }) => {
    assert.equal(plugin.id, 'sgp')
    assert.equal(plugin.kind, 'isp')
    assert.isTrue(plugin.config.token.secret)
    assert.notOk(plugin.config.baseUrl.secret)
    assert.sameMembers([...adapter.supports], ['findCustomer', 'openInvoices', 'connectionStatus', 'trustUnlock', 'openTicket'])
  })

  test('finds both contracts of a CPF, with the status label trimmed and mapped', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const contracts = await adapter.findCustomer({ cpfCnpj: '123.456.789-09' }, ctx)

    assert.lengthOf(contracts, 2)
    const [active, suspended] = contracts
    assert.deepInclude(active, {
      id: '10457',
      customerId: '4821',
      holderName: 'MARIA APARECIDA SOUZA',
      document: '12345678909',
      plan: 'FIBRA 500 MEGA',
      status: 'active',
      statusLabel: 'Ativo',
    })
    assert.include(active.address, 'RUA DAS PALMEIRAS, 128')
    assert.include(active.address, 'JARDIM SÃO PAULO')
    assert.equal(suspended.status, 'suspended')
    assert.equal(suspended.statusLabel, 'Suspenso (Inadimplência)')

    const call = fake.calls('consultacliente')[0]
    assert.equal(call.method, 'POST')
    assert.equal(call.contentType, 'application/x-www-form-urlencoded')
    assert.equal(call.body.cpfcnpj, '12345678909')
  })

  test('finds a customer by the WhatsApp phone, sent without the country code', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const contracts = await adapter.findCustomer({ phone: '+55 11 99999-0001' }, ctx)
    assert.lengthOf(contracts, 2)
    assert.equal(fake.calls('consultacliente')[0].body.telefone, '11999990001')
  })

  test('an unknown CPF finds nothing; an invalid one is refused before any call', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    assert.deepEqual(await adapter.findCustomer({ cpfCnpj: '529.982.247-25' }, ctx), [])

    const error = await rejection(adapter.findCustomer({ cpfCnpj: '123.456.789-00' }, ctx))
    assert.equal(error.code, 'bad_request')
    assert.lengthOf(fake.calls('consultacliente'), 1)
  })

  test('logins, passwords and the token never appear in results, errors or logs', async ({ assert }) => {
    const { ctx, lines } = contextFor(fake)
    const results = [
      await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx),
      await adapter.openInvoices('10457', ctx),
      await adapter.connectionStatus('10457', ctx),
      await adapter.trustUnlock('11902', ctx),
      await adapter.openTicket('10457', { reason: 'no_connection', description: 'Sem internet, LOS vermelho' }, ctx),
      await adapter.testConnection(ctx),
    ]
    const wrong = contextFor(fake, { token: 'wrong-token-value' })
    const authError = await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, wrong.ctx))

    const everything = JSON.stringify(results) + authError.message + lines.join('\n') + wrong.lines.join('\n')
    for (const secret of [...sgpSecrets(fake.token), 'wrong-token-value']) {
      assert.notInclude(everything, secret, `a secret leaked: ${secret}`)
    }
    // The fake did send them: the test would catch a pass-through.
    assert.include(JSON.stringify(fake.contracts), 'mr8s2k4q')
  })

  test('open invoices carry amount, due date, PIX code, boleto line and PDF link', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const invoices = await adapter.openInvoices('10457', ctx)

    assert.lengthOf(invoices, 1)
    const recorded = fixture('sgp-fatura2via-response.json').links[0]
    assert.deepEqual(invoices[0], {
      id: '884512',
      contractId: '10457',
      dueDate: '2025-06-10',
      amount: 101.9,
      status: 'overdue',
      pixCode: recorded.codigopix,
      boletoLine: recorded.linhadigitavel,
      pdfUrl: recorded.link,
    })
    assert.equal(fake.calls('fatura2via')[0].body.contrato, '10457')
    assert.equal(fake.calls('fatura2via')[0].body.faturas_abertas_todas, '1')
  })

  test('several open invoices come sorted by due date; one without PIX has no pixCode', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    fake.invoices.get(11902)![0].vencimento = future
    fake.invoices.get(11902)![0].vencimento_original = future

    const invoices = await adapter.openInvoices('11902', ctx)
    assert.deepEqual(
      invoices.map((i) => [i.id, i.status]),
      [
        ['879301', 'overdue'],
        ['884513', 'open'],
      ]
    )
    assert.isUndefined(invoices[0].pixCode)
    assert.isString(invoices[1].pixCode)
  })

  test('no open invoice is an empty list; an unknown contract is not_found', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.invoices.set(10457, [])
    assert.deepEqual(await adapter.openInvoices('10457', ctx), [])

    const error = await rejection(adapter.openInvoices('99999', ctx))
    assert.equal(error.code, 'not_found')
  })

  test('connection status: offline, online, suspended with the reason, unknown contract', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    assert.deepEqual(await adapter.connectionStatus('10457', ctx), { state: 'offline', reason: 'Serviço Offline' })

    fake.access.set(10457, { status: 1, msg: 'Serviço Online', contratoId: 10457, login: 'maria.souza' })
    assert.equal((await adapter.connectionStatus('10457', ctx)).state, 'online')

    assert.deepEqual(await adapter.connectionStatus('11902', ctx), {
      state: 'suspended',
      reason: 'Serviço Suspenso por Inadimplência',
    })
    assert.equal((await rejection(adapter.connectionStatus('99999', ctx))).code, 'not_found')
  })

  test('trust unlock: granted once with days and protocol, then refused with the reason', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const granted = await adapter.trustUnlock('11902', ctx)
    assert.deepEqual(granted, {
      granted: true,
      days: 3,
      reason: 'Contrato liberado com sucesso até 13/06/2025',
      protocol: '20250610143802104571',
    })

    fake.contracts[1].contratoStatus = 4
    const refused = await adapter.trustUnlock('11902', ctx)
    assert.isFalse(refused.granted)
    assert.equal(refused.reason, 'Liberação por promessa de pagamento já utilizada neste mês')

    const notSuspended = await adapter.trustUnlock('10457', ctx)
    assert.deepEqual(notSuspended, { granted: false, reason: 'Contrato não está suspenso' })
    assert.equal((await rejection(adapter.trustUnlock('99999', ctx))).code, 'not_found')
  })

  test('opens a ticket with a JSON body and the occurrence type for the reason', async ({ assert }) => {
    const { ctx } = contextFor(fake, { ticketTypeSlow: 12 })
    const first = await adapter.openTicket('10457', { reason: 'no_connection', description: 'LOS vermelho' }, ctx)
    const second = await adapter.openTicket('10457', { reason: 'slow_connection', description: 'Internet lenta' }, ctx)

    assert.equal(first.protocol, fixture('sgp-chamado-response.json').protocolo)
    assert.notEqual(second.protocol, first.protocol)
    const [a, b] = fake.calls('chamado')
    assert.equal(a.contentType, 'application/json')
    assert.deepInclude(a.body, { contrato: 10457, ocorrenciatipo: 1, conteudo: 'LOS vermelho' })
    assert.equal(b.body.ocorrenciatipo, 12)
  })

  test('a ticket SGP refuses is a refused error with its message', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const error = await rejection(adapter.openTicket('10457', { reason: 'other', description: '  ' }, ctx))
    assert.equal(error.code, 'refused')
    assert.include(error.message, 'Informe o conteúdo do chamado')
  })

  test('a route the install lacks is unsupported', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.missingRoutes.add('liberacaopromessa')
    const error = await rejection(adapter.trustUnlock('11902', ctx))
    assert.equal(error.code, 'unsupported')
  })

  test('a wrong token is an auth error, and testConnection says so', async ({ assert }) => {
    const { ctx } = contextFor(fake, { token: 'not-the-token' })
    const error = await rejection(adapter.openInvoices('10457', ctx))
    assert.equal(error.code, 'auth')
    assert.equal(error.details.status, 401)

    const check = await adapter.testConnection(ctx)
    assert.isFalse(check.ok)
    assert.isTrue((await adapter.testConnection(contextFor(fake).ctx)).ok)
  })

  test('a slow SGP is a timeout, a broken one and an offline one are unavailable', async ({ assert }) => {
    fake.delayMs = 1_000
    const slow = await rejection(adapter.connectionStatus('10457', contextFor(fake, { timeoutSeconds: 0.2 }).ctx))
    assert.equal(slow.code, 'timeout')
    assert.isTrue(slow.retryable)

    fake.delayMs = 0
    fake.failStatus = 502
    const broken = await rejection(adapter.connectionStatus('10457', contextFor(fake).ctx))
    assert.equal(broken.code, 'unavailable')

    const { ctx } = contextFor(fake)
    await fake.close()
    const offline = await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx))
    assert.equal(offline.code, 'unavailable')
    fake = await FakeSgp.start()
  })
})
