import { test } from '@japa/runner'
import Provider from '#models/provider'
import { buildSystemPrompt } from '#services/ai/prompt_builder'
import { toolsFor } from '#services/ai/tool_definitions'

function provider() {
  return new Provider().merge({
    name: 'Fibra Norte',
    site: 'https://fibranorte.com.br',
    timezone: 'America/Sao_Paulo',
    locale: 'pt-BR',
    businessHours: { mon: [{ from: '08:00', to: '18:00' }], sun: [] },
    plans: [{ name: '500 Mega', speed: '500 Mbps', price: 99.9 }],
    fees: [{ name: 'Religação', amount: 50 }],
    documents: ['RG', 'CPF'],
    persona: { agentName: 'Ana', emojiUse: 'none', instructions: 'Nunca ofereça desconto.' },
    settings: {},
  })
}

test.group('AI system prompt and tools', () => {
  test('the prompt carries persona, company data, plans, fees, documents, hours and known facts', ({ assert }) => {
    const prompt = buildSystemPrompt({
      provider: provider(),
      facts: { cpfCnpj: '12345678909', customerName: 'Maria Aparecida Souza' },
      tools: toolsFor(['findCustomer', 'openInvoices']).map((tool) => tool.name),
      now: new Date('2026-11-23T13:00:00Z'), // Monday 10:00 in São Paulo
    })
    for (const expected of ['Ana', 'Fibra Norte', 'https://fibranorte.com.br', '500 Mega (500 Mbps) — R$ 99,90', 'Religação — R$ 50,00', '- RG', 'Segunda: 08:00 às 18:00', 'Bom dia', 'CPF/CNPJ informado: 12345678909', 'Nunca ofereça desconto.', 'Não use emojis.']) {
      assert.include(prompt, expected)
    }
    assert.include(prompt, 'A equipe humana está disponível agora.')
    assert.include(prompt, 'send_open_invoices')
    assert.notInclude(prompt, 'check_connection') // not supported by this ISP plugin
  })

  test('outside business hours the prompt says when people are back', ({ assert }) => {
    const prompt = buildSystemPrompt({ provider: provider(), facts: {}, tools: ['hand_over'], now: new Date('2026-11-23T22:30:00Z') })
    assert.include(prompt, 'fora do horário')
    assert.include(prompt, 'volta segunda às 08:00')
  })

  test('no ISP system means no ISP tools, but never an empty tool list', ({ assert }) => {
    assert.deepEqual(toolsFor(null).map((tool) => tool.name), ['hand_over', 'resolve_conversation'])
    const all = toolsFor(['findCustomer', 'openInvoices', 'connectionStatus', 'trustUnlock', 'openTicket'])
    assert.lengthOf(all, 8)
    assert.notProperty(all[0], 'needs')
  })
})
