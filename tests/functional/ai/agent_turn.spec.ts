import { test } from '@japa/runner'
import Provider from '#models/provider'
import type { InstanceContext, PluginLogger } from '#plugins/sdk'
import { OpenAiAdapter } from '../../../plugins/openai/openai_adapter.js'
import { SgpAdapter } from '../../../plugins/sgp/sgp_adapter.js'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { runAgentTurn, type AgentTurnInput } from '#services/ai/agent_turn'
import { fixture } from '#tests/helpers/fixtures'

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} }
const provider = new Provider().merge({
  name: 'Fibra Rápida',
  timezone: 'America/Sao_Paulo',
  locale: 'pt-BR',
  businessHours: {},
  plans: [{ name: '300 Mega', price: 89.9 }],
  fees: [],
  documents: [],
  persona: { agentName: 'Ana' },
  settings: {},
})

test.group('AI agent turn (fake OpenAI + fake SGP)', (group) => {
  let ai: FakeOpenAi
  let sgp: FakeSgp
  group.each.setup(async () => {
    ai = await FakeOpenAi.start()
    sgp = await FakeSgp.start()
    return async () => {
      await ai.close()
      await sgp.close()
    }
  })

  function input(history: AgentTurnInput['history'], overrides: Partial<AgentTurnInput> = {}): AgentTurnInput {
    const aiCtx: InstanceContext = { providerId: 1, config: { baseUrl: ai.baseUrl, apiKey: ai.apiKey, model: 'gpt-4o-mini', maxRetries: 0 }, logger: silent }
    const ispCtx: InstanceContext = { providerId: 1, config: { baseUrl: sgp.baseUrl, app: sgp.app, token: sgp.token }, logger: silent }
    return {
      provider,
      state: {},
      history,
      ai: { adapter: new OpenAiAdapter(), ctx: aiCtx },
      isp: { adapter: new SgpAdapter(), ctx: ispCtx },
      contactPhone: '5511999990001',
      earlierToolResults: [],
      maxToolRounds: 5,
      ...overrides,
    }
  }

  test('CPF → the AI finds the contract, then asks the customer to confirm', async ({ assert }) => {
    ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '123.456.789-09' } }])
    ai.replyText('Encontrei dois contratos no seu CPF, Maria. Qual deles: 10457 ou 11902?')
    const result = await runAgentTurn(input([{ role: 'user', content: 'Meu CPF é 123.456.789-09' }]))
    assert.isUndefined(result.failure)
    assert.deepEqual(result.sends, [{ kind: 'text', text: 'Encontrei dois contratos no seu CPF, Maria. Qual deles: 10457 ou 11902?' }])
    assert.equal(result.state.customerName, 'MARIA APARECIDA SOUZA')
    assert.equal(result.toolEvents[0].tool, 'find_customer')
    // The second request carried the tool result back, and the prompt offered the ISP tools.
    const second = ai.requests.filter((r) => r.path.endsWith('/chat/completions'))[1].body
    assert.equal(second.messages.at(-1).role, 'tool')
    assert.includeMembers(second.tools.map((t: any) => t.function.name), ['find_customer', 'send_open_invoices', 'check_connection'])
  })

  test('invoice request → PIX code, QR image and boleto are sent; the confirmation passes the guard', async ({ assert }) => {
    ai.replyToolCalls([{ name: 'send_open_invoices', arguments: { contractId: '10457' } }])
    ai.replyText('Pronto! Enviei a fatura de R$ 101,90, com vencimento em 10/06/2025. Posso ajudar em algo mais?')
    const state = { cpfCnpj: '12345678909', contractId: '10457', contracts: [{ id: '10457', holderName: 'MARIA', status: 'active' }] }
    const result = await runAgentTurn(input([{ role: 'user', content: 'Quero a segunda via' }], { state }))
    assert.isUndefined(result.failure)
    const invoice = fixture('sgp-fatura2via-response.json').links[0]
    const texts = result.sends.filter((s) => s.kind === 'text').map((s) => (s as { text: string }).text)
    assert.include(texts, invoice.codigopix)
    assert.isTrue(result.sends.some((s) => s.kind === 'image'))
    assert.equal(texts.at(-1), 'Pronto! Enviei a fatura de R$ 101,90, com vencimento em 10/06/2025. Posso ajudar em algo mais?')
  })

  test('the model invents an amount → nothing of its reply is sent', async ({ assert }) => {
    ai.replyText('Sua fatura é de R$ 79,90 e vence dia 15/06.')
    const result = await runAgentTurn(input([{ role: 'user', content: 'Quanto é minha fatura?' }]))
    assert.equal(result.failure?.kind, 'invented_data')
    assert.lengthOf(result.sends, 0)
  })

  test('the AI server down → a failure the caller hands to a human', async ({ assert }) => {
    ai.replyError(500, { times: 3 })
    const result = await runAgentTurn(input([{ role: 'user', content: 'Oi' }]))
    assert.equal(result.failure?.kind, 'ai_unavailable')
  })

  test('the ISP system down during a tool → failure with the team reason', async ({ assert }) => {
    ai.replyToolCalls([{ name: 'check_connection', arguments: { contractId: '10457' } }])
    await sgp.close()
    const state = { contractId: '10457' }
    const result = await runAgentTurn(input([{ role: 'user', content: 'Estou sem internet' }], { state }))
    assert.deepInclude(result.failure, { kind: 'isp_unavailable', reason: 'technical' })
    sgp = await FakeSgp.start()
  })

  test('a model that keeps calling tools is stopped after maxToolRounds', async ({ assert }) => {
    for (let i = 0; i < 3; i++) ai.replyToolCalls([{ name: 'find_customer', arguments: { cpfCnpj: '12345678909' } }])
    const result = await runAgentTurn(input([{ role: 'user', content: 'CPF 12345678909' }], { maxToolRounds: 2 }))
    assert.equal(result.failure?.kind, 'too_many_rounds')
    assert.lengthOf(result.toolEvents, 2)
  })

  test('without an ISP system only the conversation tools are offered', async ({ assert }) => {
    ai.replyToolCalls([{ name: 'hand_over', arguments: { reason: 'sales', summary: 'Quer contratar 300 Mega' } }])
    ai.replyText('Vou te passar para o time comercial. O plano 300 Mega custa R$ 89,90.')
    const result = await runAgentTurn(input([{ role: 'user', content: 'Quero contratar' }], { isp: null }))
    assert.deepEqual(result.action, { kind: 'hand_over', reason: 'sales', summary: 'Quer contratar 300 Mega' })
    const first = ai.requests.find((r) => r.path.endsWith('/chat/completions'))!.body
    assert.deepEqual(first.tools.map((t: any) => t.function.name), ['hand_over', 'resolve_conversation'])
  })
})
