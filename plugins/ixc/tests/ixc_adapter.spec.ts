import { test } from '@japa/runner'
import { container } from 'tsyringe'
import { PluginError, TOKENS, type InstanceContext, type PluginLogger } from '#plugins/sdk'
import { FakeIxc } from '#tests/helpers/fakes/ixc_server'
import { fixture } from '#tests/helpers/fixtures'
import { IxcAdapter } from '../ixc_adapter.js'
import type { IxcConfig } from '../ixc_client.js'
import plugin from '../plugin.js'

function contextFor(fake: FakeIxc, overrides: Partial<IxcConfig> = {}) {
  const lines: string[] = []
  const write = (obj: object | string, msg?: string) => void lines.push(JSON.stringify([obj, msg]))
  const logger: PluginLogger = { debug: write, info: write, warn: write, error: write }
  const ctx: InstanceContext<IxcConfig> = {
    providerId: 1,
    config: { baseUrl: fake.baseUrl, token: fake.token, ticketSubjectId: '14', ticketSectorId: '3', ...overrides },
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

/** Passwords and logins the recorded IXC rows carry. */
function ixcSecrets() {
  const secrets = new Set<string>()
  for (const row of fixture('ixc-cliente-listar-response.json').registros) secrets.add(row.senha)
  for (const row of fixture('ixc-radusuarios-listar-response.json').registros) {
    for (const key of ['login', 'senha', 'senha_rede_sem_fio', 'senha_router1']) secrets.add(row[key])
  }
  return [...secrets].filter(Boolean)
}

test.group('IXC plugin', (group) => {
  let fake: FakeIxc
  const adapter = new IxcAdapter()

  group.each.setup(async () => {
    fake = await FakeIxc.start()
    return () => fake.close()
  })

  test('register() binds the adapter in the plugin container', ({ assert }) => {
    const child = container.createChildContainer()
    plugin.register(child)
    assert.instanceOf(child.resolve(TOKENS.isp), IxcAdapter)
  })

  test('manifest declares an isp plugin with a secret token and all five operations', ({ assert }) => {
    assert.equal(plugin.id, 'ixc')
    assert.equal(plugin.kind, 'isp')
    assert.isTrue(plugin.config.token.secret)
    assert.sameMembers([...adapter.supports], ['findCustomer', 'openInvoices', 'connectionStatus', 'trustUnlock', 'openTicket'])
  })

  test('finds the customer by the masked CPF and lists both contracts with their states', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const contracts = await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx)

    assert.deepEqual(
      contracts.map((c) => [c.id, c.status, c.statusLabel, c.plan]),
      [
        ['10457', 'active', 'Ativo', 'FIBRA 500 MEGA'],
        ['11902', 'blocked', 'Bloqueio automático', 'FIBRA 300 MEGA'],
      ]
    )
    assert.deepInclude(contracts[0], { customerId: '4821', holderName: 'MARIA APARECIDA SOUZA', document: '12345678909' })
    // 10457 uses the customer's address (decoded from PHP's \u escapes); 11902 has its own.
    assert.equal(contracts[0].address, 'RUA DAS PALMEIRAS, 128 - CASA 2, JARDIM SÃO PAULO, 02045-010')
    assert.include(contracts[1].address, 'AVENIDA CASTELO BRANCO, 2301 - LOJA 1')

    const lookup = fake.calls('cliente', true)[0]
    assert.equal(lookup.headers.ixcsoft, 'listar')
    assert.deepInclude(lookup.body, { qtype: 'cliente.cnpj_cpf', query: '123.456.789-09', oper: '=' })
    assert.deepInclude(fake.calls('cliente_contrato', true)[0].body, { qtype: 'cliente_contrato.id_cliente', query: '4821' })
  })

  test('falls back to the bare digits when the CPF was stored without a mask', async ({ assert }) => {
    fake.tables.cliente[0].cnpj_cpf = '12345678909'
    const contracts = await adapter.findCustomer({ cpfCnpj: '123.456.789-09' }, contextFor(fake).ctx)
    assert.lengthOf(contracts, 2)
    assert.deepEqual(
      fake.calls('cliente', true).map((r) => r.body.query),
      ['123.456.789-09', '12345678909']
    )
  })

  test('finds by phone through the whatsapp column; an unknown CPF finds nothing', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    assert.lengthOf(await adapter.findCustomer({ phone: '5511999990001' }, ctx), 2)
    assert.deepInclude(fake.calls('cliente', true)[0].body, { qtype: 'cliente.whatsapp', query: '11999990001' })

    fake.tables.cliente[0].whatsapp = ''
    assert.lengthOf(await adapter.findCustomer({ phone: '5511999990001' }, ctx), 2)
    assert.equal(fake.calls('cliente', true).at(-1)!.body.query, '(11) 99999-0001')

    assert.deepEqual(await adapter.findCustomer({ cpfCnpj: '52998224725' }, ctx), [])
    assert.equal((await rejection(adapter.findCustomer({ cpfCnpj: '11111111111' }, ctx))).code, 'bad_request')
  })

  test('follows listing pages until the total is reached', async ({ assert }) => {
    fake.maxPageSize = 1
    const contracts = await adapter.findCustomer({ cpfCnpj: '12345678909' }, contextFor(fake).ctx)
    assert.lengthOf(contracts, 2)
    assert.deepEqual(
      fake.calls('cliente_contrato', true).map((r) => r.body.page),
      ['1', '2']
    )
  })

  test('open invoices: filters of fn_areceber, PIX from get_pix, boleto line, gateway link', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.tables.fn_areceber.push({ ...fake.tables.fn_areceber[1], id: '870001', status: 'R' })
    const invoices = await adapter.openInvoices('10457', ctx)

    assert.lengthOf(invoices, 1)
    assert.deepEqual(invoices[0], {
      id: '884512',
      contractId: '10457',
      dueDate: '2025-06-05',
      amount: 99.9,
      status: 'overdue',
      pixCode: fixture('ixc-get-pix-response.json').pix.dadosPix.pixCopiaECola,
      boletoLine: '23793.38128 60088.451202 90000.063305 1 11280000009990',
      pdfUrl: undefined,
    })
    const listing = fake.calls('fn_areceber', true)[0].body
    assert.deepInclude(listing, { qtype: 'fn_areceber.id_contrato', query: '10457', sortname: 'fn_areceber.data_vencimento' })
    assert.deepEqual(JSON.parse(listing.grid_param), [
      { TB: 'fn_areceber.liberado', OP: '=', P: 'S' },
      { TB: 'fn_areceber.status', OP: '!=', P: 'C' },
      { TB: 'fn_areceber.status', OP: '!=', P: 'R' },
    ])
    const pix = fake.calls('get_pix')[0]
    assert.isFalse(pix.listing)
    assert.deepEqual(pix.body, { id_areceber: '884512' })

    const blocked = await adapter.openInvoices('11902', ctx)
    assert.deepEqual(blocked.map((i) => i.id), ['879301', '884513'])
    assert.isUndefined(blocked[0].pixCode, 'a carteira without PIX answers type error')
    assert.equal(blocked[1].pdfUrl, 'https://pagamento.fibrarapida.com.br/fatura/884513/7b2e91c4')
    assert.isUndefined(blocked[1].boletoLine)
  })

  test('an invoice due in the future is open; a missing get_pix route still lists the invoice', async ({ assert }) => {
    const future = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10)
    fake.tables.fn_areceber[1].data_vencimento = future
    fake.missingRoutes.add('get_pix')
    const [invoice] = await adapter.openInvoices('10457', contextFor(fake).ctx)
    assert.equal(invoice.status, 'open')
    assert.equal(invoice.dueDate, future)
    assert.isUndefined(invoice.pixCode)
  })

  test('no open invoice is an empty list; an unknown contract is not_found', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    fake.tables.fn_areceber.forEach((row) => (row.status = 'R'))
    assert.deepEqual(await adapter.openInvoices('10457', ctx), [])
    assert.equal((await rejection(adapter.openInvoices('55555', ctx))).code, 'not_found')
  })

  test('secrets in the IXC rows never reach results, errors or logs', async ({ assert }) => {
    const { ctx, lines } = contextFor(fake)
    const results = [
      await adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx),
      await adapter.openInvoices('10457', ctx),
      await adapter.connectionStatus('10457', ctx),
      await adapter.connectionStatus('11902', ctx),
      await adapter.trustUnlock('11902', ctx),
      await adapter.openTicket('10457', { reason: 'no_connection', description: 'LOS vermelho' }, ctx),
    ]
    fake.tables.cliente_contrato[1].status_internet = 'A'
    results.push(await adapter.connectionStatus('11902', ctx))
    const wrong = contextFor(fake, { token: '27:wrong' })
    const authError = await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, wrong.ctx))

    const everything = JSON.stringify(results) + authError.message + lines.join('\n') + wrong.lines.join('\n')
    for (const secret of [...ixcSecrets(), fake.token, '27:wrong']) {
      assert.notInclude(everything, secret, `a secret leaked: ${secret}`)
    }
  })

  test('connection status: online since the session start, offline with the reason, blocked is suspended', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    assert.deepEqual(await adapter.connectionStatus('10457', ctx), { state: 'online', since: '2025-06-10 08:12:45' })
    assert.deepInclude(await adapter.connectionStatus('11902', ctx), { state: 'suspended', reason: 'Bloqueio automático' })

    fake.tables.cliente_contrato[1].status_internet = 'A'
    assert.deepEqual(await adapter.connectionStatus('11902', ctx), {
      state: 'offline',
      reason: 'Admin-Reset',
      since: '2025-05-25 00:00:07',
    })
    assert.deepInclude(fake.calls('radusuarios', true).at(-1)!.body, { qtype: 'radusuarios.id_contrato', query: '11902' })
    assert.equal((await rejection(adapter.connectionStatus('55555', ctx))).code, 'not_found')
  })

  test('trust unlock: granted, already active counts as granted, refused with the reason, unknown contract', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    assert.deepEqual(await adapter.trustUnlock('11902', ctx), {
      granted: true,
      reason: 'Desbloqueio de confiança efetuado com sucesso!',
    })
    const call = fake.calls('desbloqueio_confianca')[0]
    assert.isFalse(call.listing)
    assert.deepEqual(call.body, { id: '11902' })

    assert.isTrue((await adapter.trustUnlock('11902', ctx)).granted)

    fake.contract('10457')!.desbloqueio_confianca = 'N'
    const refused = await adapter.trustUnlock('10457', ctx)
    assert.isFalse(refused.granted)
    assert.equal(refused.reason, fixture('ixc-desbloqueio-confianca-refused.json').mensagem)

    assert.equal((await rejection(adapter.trustUnlock('55555', ctx))).code, 'not_found')
  })

  test('opens a ticket in su_ticket and reads the protocol back', async ({ assert }) => {
    const { ctx } = contextFor(fake)
    const { protocol } = await adapter.openTicket('11902', { reason: 'slow_connection', description: 'Lenta à noite' }, ctx)

    const insert = fake.calls('su_ticket', false)[0]
    assert.deepInclude(insert.body, {
      id_cliente: '4821',
      id_contrato: '11902',
      id_assunto: '14',
      id_ticket_setor: '3',
      menssagem: 'Lenta à noite',
      tipo: 'C',
    })
    const row = fake.tables.su_ticket[0]
    assert.equal(row.id, fixture('ixc-chamado-inserir-response.json').id)
    assert.equal(protocol, row.protocolo)
    assert.deepInclude(fake.calls('su_ticket', true)[0].body, { qtype: 'su_ticket.id', query: row.id })
  })

  test('a ticket IXC rejects is refused; without a subject id tickets are unsupported', async ({ assert }) => {
    const rejected = await rejection(
      adapter.openTicket('10457', { reason: 'other', description: '' }, contextFor(fake).ctx)
    )
    assert.equal(rejected.code, 'refused')
    assert.include(rejected.message, 'menssagem')

    const unconfigured = contextFor(fake, { ticketSubjectId: undefined }).ctx
    const error = await rejection(adapter.openTicket('10457', { reason: 'other', description: 'x' }, unconfigured))
    assert.equal(error.code, 'unsupported')
    assert.lengthOf(fake.calls('su_ticket'), 1)
  })

  test('wrong token is auth; slow is timeout; broken and down are unavailable', async ({ assert }) => {
    const wrong = contextFor(fake, { token: '27:not-the-hash' }).ctx
    assert.equal((await rejection(adapter.openInvoices('10457', wrong))).code, 'auth')
    assert.isFalse((await adapter.testConnection(wrong)).ok)
    assert.isTrue((await adapter.testConnection(contextFor(fake).ctx)).ok)

    fake.delayMs = 1_000
    assert.equal((await rejection(adapter.trustUnlock('11902', contextFor(fake, { timeoutSeconds: 0.2 }).ctx))).code, 'timeout')

    fake.delayMs = 0
    fake.failStatus = 503
    assert.equal((await rejection(adapter.connectionStatus('10457', contextFor(fake).ctx))).code, 'unavailable')

    const { ctx } = contextFor(fake)
    await fake.close()
    assert.equal((await rejection(adapter.findCustomer({ cpfCnpj: '12345678909' }, ctx))).code, 'unavailable')
    fake = await FakeIxc.start()
  })
})
