import { test } from '@japa/runner'
import { findBoletoLines, findPixCodes } from '#services/ai/payment_codes'
import { fixture } from '#tests/helpers/fixtures'

/** Builds a well-formed BR Code from fields, as a PIX generator would. */
function brCode(fields: [string, string][]) {
  const body = fields.map(([id, value]) => `${id}${String(value.length).padStart(2, '0')}${value}`).join('')
  return `${body}6304ABCD`
}

test.group('Payment codes', () => {
  test('finds a well-formed PIX code with spaces in the merchant name, and where it ends', ({ assert }) => {
    const code = brCode([
      ['00', '01'],
      ['26', '0014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000'],
      ['52', '0000'],
      ['53', '986'],
      ['54', '99.90'],
      ['58', 'BR'],
      ['59', 'FIBRA NORTE TELECOM'],
      ['60', 'SAO PAULO'],
    ])
    const found = findPixCodes(`Copie: ${code}6304 e pague.`)
    assert.lengthOf(found, 1)
    assert.equal(found[0].text, code)
  })

  test('finds the recorded SGP PIX code (its field lengths are off by one) up to its CRC', ({ assert }) => {
    const pix = fixture('sgp-fatura2via-response.json').links[0].codigopix
    assert.deepEqual(findPixCodes(`PIX: ${pix}\nobrigado`).map((span) => span.text), [pix])
  })

  test('finds boleto lines in their usual groupings', ({ assert }) => {
    const line = fixture('sgp-fatura2via-response.json').links[0].linhadigitavel
    assert.deepEqual(findBoletoLines(`Linha digitável: ${line}.`).map((span) => span.text), [line])
    assert.lengthOf(findBoletoLines('846700000017 435900240209 024050002435 842210108119'.replace(/ /g, ' ')), 1)
    assert.lengthOf(findBoletoLines('CPF 123.456.789-09, contrato 10457'), 0)
  })
})
