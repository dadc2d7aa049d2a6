import { test } from '@japa/runner'
import type { InstanceContext, PluginLogger } from '#plugins/sdk'
import { SgpAdapter } from '../../../plugins/sgp/sgp_adapter.js'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { executeTool, type ToolContext } from '#services/ai/tool_executor'
import { fixture } from '#tests/helpers/fixtures'

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} }

function contextFor(fake: FakeSgp, overrides: Partial<ToolContext> = {}): ToolContext {
  const ctx: InstanceContext = { providerId: 1, config: { baseUrl: fake.baseUrl, app: fake.app, token: fake.token }, logger: silent }
  return { isp: { adapter: new SgpAdapter(), ctx }, state: {}, contactPhone: '5511999990001', ...overrides }
}

test.group('AI tools against the SGP fake', (group) => {
  let fake: FakeSgp
  group.each.setup(async () => {
    fake = await FakeSgp.start()
    return () => fake.close()
  })

  test('find_customer by CPF lists the contracts and remembers the facts', async ({ assert }) => {
    const context = contextFor(fake)
    const outcome = await executeTool('find_customer', JSON.stringify({ cpfCnpj: '123.456.789-09' }), context)
    assert.isTrue(outcome.result.found as boolean)
    const contracts = outcome.result.contracts as { id: string; status: string }[]
    assert.lengthOf(contracts, 2)
    assert.equal(context.state.cpfCnpj, '12345678909')
    assert.equal(context.state.customerName, 'MARIA APARECIDA SOUZA')
    assert.isUndefined(context.state.contractId) // two contracts: the customer must choose
    assert.notMatch(JSON.stringify(outcome.result), /senha|password|login/i)
  })

  test('an invalid CPF is answered without calling the ISP system', async ({ assert }) => {
    const outcome = await executeTool('find_customer', JSON.stringify({ cpfCnpj: '111.111.111-12' }), contextFor(fake))
    assert.equal(outcome.result.error, 'invalid_document')
    assert.lengthOf(fake.calls('consultacliente'), 0)
  })

  test('send_open_invoices sends amount, due date, PIX code, a locally made QR image and the boleto line', async ({ assert }) => {
    const context = contextFor(fake)
    await executeTool('find_customer', JSON.stringify({ cpfCnpj: '12345678909' }), context)
    const chosen = await executeTool('select_contract', JSON.stringify({ contractId: '10457' }), context)
    assert.equal(chosen.result.contractId, '10457')

    const outcome = await executeTool('send_open_invoices', '{}', context)
    const invoice = fixture('sgp-fatura2via-response.json').links[0]
    const texts = outcome.outgoing.filter((part) => part.kind === 'text').map((part) => (part as { text: string }).text)
    assert.isTrue(texts.some((text) => text.includes('R$ 101,90') && text.includes('10/06/2025')))
    assert.include(texts, invoice.codigopix)
    assert.isTrue(texts.some((text) => text.includes(invoice.linhadigitavel)))
    const image = outcome.outgoing.find((part) => part.kind === 'image') as { data: Buffer }
    assert.deepEqual([...image.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]) // a PNG
    assert.notInclude(JSON.stringify(outcome.result), invoice.codigopix) // the model is not asked to repeat it
  })

  test('a contract that is not the customer\'s is refused back to the model', async ({ assert }) => {
    const context = contextFor(fake)
    await executeTool('find_customer', JSON.stringify({ cpfCnpj: '12345678909' }), context)
    const outcome = await executeTool('check_connection', JSON.stringify({ contractId: '99999' }), context)
    assert.equal(outcome.result.ok, false)
    assert.match(String(outcome.result.error), /not one of this customer's contracts/)
  })

  test('connection check, trust unlock and a ticket with its protocol', async ({ assert }) => {
    const context = contextFor(fake)
    await executeTool('find_customer', JSON.stringify({ cpfCnpj: '12345678909' }), context)
    await executeTool('select_contract', JSON.stringify({ contractId: '10457' }), context)
    const connection = await executeTool('check_connection', '{}', context)
    assert.equal(connection.result.state, 'offline')
    const ticket = await executeTool('open_technical_ticket', JSON.stringify({ reason: 'no_connection', description: 'Sem internet desde ontem, luz vermelha piscando' }), context)
    assert.isString(ticket.result.protocol)
    assert.include(ticket.summary, String(ticket.result.protocol))
  })

  test('the ISP system being down is reported as a failure that needs a human', async ({ assert }) => {
    const context = contextFor(fake)
    await fake.close()
    const outcome = await executeTool('find_customer', JSON.stringify({ cpfCnpj: '12345678909' }), context)
    assert.equal(outcome.result.error, 'isp_unavailable')
    assert.equal(outcome.ispFailure?.code, 'unavailable')
    fake = await FakeSgp.start()
  })

  test('hand_over and resolve become actions; bad arguments go back to the model', async ({ assert }) => {
    const context = contextFor(fake, { isp: null })
    const handOver = await executeTool('hand_over', JSON.stringify({ reason: 'financial', summary: 'Cliente quer negociar dívida' }), context)
    assert.deepEqual(handOver.action, { kind: 'hand_over', reason: 'financial', summary: 'Cliente quer negociar dívida' })
    assert.equal((await executeTool('hand_over', JSON.stringify({ reason: 'weather' }), context)).result.ok, false)
    assert.equal((await executeTool('find_customer', 'not json', context)).result.ok, false)
    assert.equal((await executeTool('send_open_invoices', '{}', context)).result.ok, false) // no ISP configured
  })
})
