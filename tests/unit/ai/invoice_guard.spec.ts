import { test } from '@japa/runner'
import { checkReply, collectFacts } from '#services/ai/invoice_guard'
import { fixture } from '#tests/helpers/fixtures'

const sgp = fixture('sgp-fatura2via-response.json')
const invoice = sgp.links[0]
// What the SGP plugin hands back as a tool result (shape-agnostic: the guard walks any object).
const toolResult = {
  invoices: [{ amount: invoice.valor, dueDate: invoice.vencimento, pixCode: invoice.codigopix, boletoLine: invoice.linhadigitavel }],
}
const today = new Date(2025, 5, 8)

test.group('AI invoice guard', () => {
  test('a reply quoting exactly what the tool returned passes', ({ assert }) => {
    const facts = collectFacts([toolResult])
    const reply = `Sua fatura de R$ 101,90 vence em 10/06/2025.\n\nPIX: ${invoice.codigopix}\nBoleto: ${invoice.linhadigitavel}`
    assert.deepEqual(checkReply(reply, facts, today), { ok: true, unsupported: [] })
  })

  test('an invented amount, date, PIX code or boleto line is caught', ({ assert }) => {
    const facts = collectFacts([toolResult])
    assert.deepEqual(checkReply('O valor é R$ 89,90.', facts, today).unsupported, ['amount R$ 89,90'])
    assert.deepEqual(checkReply('Vence dia 15/06.', facts, today).unsupported, ['date 15/06'])
    assert.deepEqual(checkReply('PIX: 00020101021226900014br.gov.bcb.pix0000FAKE', facts, today).unsupported, ['PIX code'])
    assert.deepEqual(
      checkReply('Linha: 23793.38128 60082.345678 90000.063305 1 99999999999999', facts, today).unsupported,
      ['boleto line']
    )
  })

  test('with no tool result at all, any invoice figure is unsupported', ({ assert }) => {
    const verdict = checkReply('Sua fatura é de R$ 101,90 e vence em 10/06.', collectFacts([]), today)
    assert.isFalse(verdict.ok)
    assert.lengthOf(verdict.unsupported, 2)
  })

  test('plain conversation, today\'s date and the provider\'s own prices are allowed', ({ assert }) => {
    const facts = collectFacts([{ plans: [{ name: '500 Mega', price: 99.9 }] }])
    assert.isTrue(checkReply('Bom dia! Hoje é 08/06/2025. O plano 500 Mega custa R$ 99,90.', facts, today).ok)
    assert.isTrue(checkReply('Pode me informar seu CPF?', facts, today).ok)
  })
})
