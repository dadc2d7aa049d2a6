import { test } from '@japa/runner'
import { container } from 'tsyringe'
import { PluginError, TOKENS, type InstanceContext, type PluginLogger } from '#plugins/sdk'
import { FakeMkauth } from '#tests/helpers/fakes/mkauth_server'
import { fixture } from '#tests/helpers/fixtures'
import { MkauthAdapter } from '../mkauth_adapter.js'
import type { MkauthConfig } from '../mkauth_client.js'
import plugin from '../plugin.js'

const HOME = '8F3A2C71-5E9B-4D04-B6A1-2C7E9D0F4B18' // maria.souza, not blocked
const SHOP = 'D41E7B90-3A6C-4F25-8E17-9B0C5A2D6E73' // maria.souza.loja, blocked

/** Each test gets its own provider id, so the per-instance token cache starts empty. */
let nextProviderId = 100

function contextFor(fake: FakeMkauth, overrides: Partial<MkauthConfig> = {}, providerId = nextProviderId++) {
  const lines: string[] = []
  const write = (obj: object | string, msg?: string) => void lines.push(JSON.stringify([obj, msg]))
  const logger: PluginLogger = { debug: write, info: write, warn: write, error: write }
  const ctx: InstanceContext<MkauthConfig> = {
    providerId,
    config: { baseUrl: fake.baseUrl, clientId: fake.clientId, clientSecret: fake.clientSecret, ...overrides },
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

test.group('MK-Auth plugin', (group) => {
  let fake: FakeMkauth
  const adapter = new MkauthAdapter()

  group.each.setup(async () => {
    fake = await FakeMkauth.start()
    return () => fake.close()
  })

  test('register() binds the adapter in the plugin container', ({ assert }) => {
    const child = container.createChildContainer()
    plugin.register(child)
    assert.instanceOf(child.resolve(TOKENS.isp), MkauthAdapter)
  })

  test('manifest: a secret client secret, and no connection status (MK-Auth has no session data)', ({ assert }) => {
    assert.equal(plugin.id, 'mkauth')
    assert.equal(plugin.kind, 'isp')
    assert.isTrue(plugin.config.clientSecret.secret)
    assert.sameMembers([...adapter.supports], ['findCustomer', 'openInvoices', 'trustUnlock', 'openTicket'])
    assert.notIncludeMembers([...adapter.supports], ['connectionStatus'])
    assert.isUndefined((adapter as any).connectionStatus)
  })

  test('one contract per login under the CPF, identified by the record uuid', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const contracts = await adapter.findCustomer({ cpfCnpj: '123.456.789-09' }, ctx)

    assert.deepEqual(
      contracts.map((c) => [c.id, c.status, c.statusLabel]),
      [
        [HOME, 'active', 'Ativo'],
        [SHOP, 'blocked', 'Bloqueado'],
      ]
    )
    assert.deepInclude(contracts[0], { customerId: '1532', holderName: 'Maria Aparecida Souza', document: '12345678909' })
    assert.equal(contracts[0].address, 'Rua das Palmeiras, 128 - Casa 2, Jardim São Paulo, São Paulo/SP, 02045-010')

    const listing = fake.calls('cliente/listar')[0]
    assert.equal(listing.method, 'GET')
    assert.equal(listing.path, '/api/cliente/listar/cpf_cnpj=12345678909')
    assert.match(String(listing.headers.authorization), /^Bearer ey/)
  })

  test('retries with the masked CPF; unknown CPF finds nothing; phone search is unsupported', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.clientes.forEach((c) => (c.cpf_cnpj = '123.456.789-09'))
    assert.lengthOf(await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx), 2)
    assert.deepEqual(
      fake.calls('cliente/listar').map((r) => decodeURIComponent(r.path)),
      ['/api/cliente/listar/cpf_cnpj=12345678909', '/api/cliente/listar/cpf_cnpj=123.456.789-09']
    )

    assert.deepEqual(await adapter.findCustomer({ cpfCnpj: '52998224725' }, ctx), [])
    assert.equal((await rejection(adapter.findCustomer({ phone: '5511999990001' }, ctx))).code, 'unsupported')
  })

  test('the token is fetched once with Basic auth and reused while it is valid', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx)
    await adapter.openInvoices(HOME, ctx)
    await adapter.openInvoices(SHOP, ctx)

    assert.equal(fake.tokensIssued, 1)
    const tokenCall = fake.requests.find((r) => r.path === '/api/')!
    assert.equal(tokenCall.method, 'GET')
    assert.equal(
      tokenCall.headers.authorization,
      `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`
    )
    // Another provider with its own credentials gets its own token.
    await adapter.findCustomer({ cpfCnpj: '12345678909' }, contextFor(fake).ctx)
    assert.equal(fake.tokensIssued, 2)
  })

  test('a token about to expire is replaced before use; a revoked one is replaced after the 401', async ({ assert }) => {
    // Valid upstream for 20 s, but inside the adapter's 30 s renewal margin.
    fake.tokenTtlSeconds = 20
    const { ctx } = contextFor(fake)
    await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx)
    await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx)
    assert.equal(fake.tokensIssued, 2)

    fake.tokenTtlSeconds = 600
    const fresh = contextFor(fake)
    await adapter.findCustomer({ cpfCnpj: '12345678909' }, fresh.ctx)
    fake.revokeTokens()
    assert.lengthOf(await adapter.findCustomer({ cpfCnpj: '12345678909' }, fresh.ctx), 2)
    assert.equal(fake.tokensIssued, 4)
  })

  test('open invoices of one login: overdue and open titles merged, PIX when the title has one', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    fake.abertos[2].datavenc = `${future} 00:00:00`

    const invoices = await adapter.openInvoices(SHOP, ctx)
    assert.deepEqual(
      invoices.map((i) => [i.id, i.status, i.amount]),
      [
        ['879301', 'overdue', 89.9],
        ['884513', 'overdue', 89.9],
        ['889121', 'open', 89.9],
      ]
    )
    const recorded = fixture('mkauth-titulo-aberto-response.json').titulos[0]
    assert.deepEqual(invoices[1], {
      id: '884513',
      contractId: SHOP,
      dueDate: '2025-06-10',
      amount: 89.9,
      status: 'overdue',
      pixCode: recorded.pix,
      boletoLine: recorded.linhadig,
    })
    assert.isUndefined(invoices[2].pixCode, 'a title without PIX yet')
    assert.sameMembers(
      fake.calls('titulo').map((r) => r.path),
      ['/api/titulo/aberto/maria.souza.loja', '/api/titulo/vencido/maria.souza.loja']
    )
    // The home login's only title is its own.
    assert.deepEqual((await adapter.openInvoices(HOME, ctx)).map((i) => i.id), ['889120'])
  })

  test('no title is an empty list; an unknown uuid is not_found', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.abertos = []
    fake.vencidos = []
    assert.deepEqual(await adapter.openInvoices(HOME, ctx), [])
    assert.equal((await rejection(adapter.openInvoices('00000000-0000-0000-0000-000000000000', ctx))).code, 'not_found')
  })

  test('trust unlock: granted by editing the record, then refused while it lasts; not blocked is refused', async ({ assert }) => {
    const { ctx } = contextFor(fake, { trustUnlockDays: 2 })
    const granted = await adapter.trustUnlock(SHOP, ctx)
    assert.deepEqual(granted, { granted: true, days: 2, reason: 'Cliente alterado com sucesso!' })

    const edit = fake.calls('cliente/editar')[0]
    assert.equal(edit.method, 'PUT')
    assert.deepInclude(edit.body, { uuid: SHOP, bloqueado: 'nao', observacao: 'sim' })
    assert.match(edit.body.rem_obs, /^\d{4}-\d{2}-\d{2} 23:59:59$/)

    fake.clientes[1].bloqueado = 'sim'
    const again = await adapter.trustUnlock(SHOP, ctx)
    assert.isFalse(again.granted)
    assert.include(again.reason, 'Já existe um desbloqueio de confiança em vigor')
    assert.lengthOf(fake.calls('cliente/editar'), 1)

    assert.deepEqual(await adapter.trustUnlock(HOME, ctx), {
      granted: false,
      reason: 'O acesso deste contrato não está bloqueado',
    })
  })

  test('opens a ticket for the login under the fixed category', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const { protocol } = await adapter.openTicket(HOME, { reason: 'no_connection', description: 'LOS vermelho' }, ctx)
    assert.equal(protocol, fixture('mkauth-chamado-inserir-response.json').chamado)
    assert.deepEqual(fake.calls('chamado/inserir')[0].body, {
      login: 'maria.souza',
      assunto: 'Conexão',
      prioridade: 'normal',
      msg: 'LOS vermelho',
    })
  })

  test('without a number in the answer, the newest ticket of the login gives it', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.omitTicketNumber = true
    await adapter.openTicket(HOME, { reason: 'other', description: 'Mudança de endereço' }, ctx)
    const { protocol } = await adapter.openTicket(HOME, { reason: 'other', description: 'Segunda via' }, ctx)
    assert.equal(protocol, fake.chamados[1].chamado)
    assert.equal(fake.calls('chamado/inserir')[0].body.assunto, 'Outros')
  })

  test('secrets (logins, PPPoE passwords, client secret, token) never reach results, errors or logs', async ({ assert }) => {
    const { ctx, lines } = contextFor(fake)
    const results = [
      await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx),
      await adapter.openInvoices(HOME, ctx),
      await adapter.openInvoices(SHOP, ctx),
      await adapter.trustUnlock(SHOP, ctx),
      await adapter.openTicket(SHOP, { reason: 'no_connection', description: 'Sem sinal' }, ctx),
      await adapter.testConnection(ctx),
    ]
    const wrong = contextFor(fake, { clientSecret: 'wrong-secret-value' })
    const authError = await rejection(adapter.openInvoices(HOME, wrong.ctx))
    const jwt = String(
      fake.requests.find((r) => String(r.headers.authorization).startsWith('Bearer '))?.headers.authorization
    ).replace('Bearer ', '')

    const everything = JSON.stringify(results) + authError.message + lines.join('\n') + wrong.lines.join('\n')
    const secrets = ['mr8s2k4q', 't4n9w2pz', 'maria.souza', fake.clientSecret, 'wrong-secret-value']
    for (const secret of secrets) assert.notInclude(everything, secret, `a secret leaked: ${secret}`)
    assert.isAbove(jwt.length, 20)
    assert.notInclude(everything, jwt)
  })

  test('wrong secret is auth; slow is timeout; broken and down are unavailable', async ({ assert }) => {
    const wrong = contextFor(fake, { clientSecret: 'nope' }).ctx
    assert.equal((await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, wrong))).code, 'auth')
    assert.isFalse((await adapter.testConnection(wrong)).ok)
    assert.isTrue((await adapter.testConnection(contextFor(fake).ctx)).ok)

    fake.delayMs = 1_000
    const slow = await rejection(adapter.openInvoices(HOME, contextFor(fake, { timeoutSeconds: 0.2 }).ctx))
    assert.equal(slow.code, 'timeout')

    fake.delayMs = 0
    fake.failStatus = 503
    assert.equal((await rejection(adapter.openInvoices(HOME, contextFor(fake).ctx))).code, 'unavailable')

    const { ctx } = contextFor(fake)
    await fake.close()
    assert.equal((await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx))).code, 'unavailable')
    fake = await FakeMkauth.start()
  })
})
