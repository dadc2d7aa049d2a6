import { test } from '@japa/runner'
import { splitReply } from '#services/ai/reply_splitter'
import { fixture } from '#tests/helpers/fixtures'

const invoice = fixture('sgp-fatura2via-response.json').links[0]

test.group('AI reply splitter', () => {
  test('short replies stay one message; paragraphs are kept together when they fit', ({ assert }) => {
    assert.deepEqual(splitReply('Olá!\n\nComo posso ajudar?'), ['Olá!\n\nComo posso ajudar?'])
  })

  test('splits at paragraph boundaries, each message at most 1,000 characters', ({ assert }) => {
    const paragraph = 'Lorem ipsum dolor sit amet. '.repeat(15).trim() // ~420 chars
    const parts = splitReply([paragraph, paragraph, paragraph].join('\n\n'))
    assert.lengthOf(parts, 2)
    assert.equal(parts[0], `${paragraph}\n\n${paragraph}`)
    assert.equal(parts[1], paragraph)
    parts.forEach((part) => assert.isAtMost(part.length, 1000))
  })

  test('never cuts a PIX code or a boleto line, even inside one long paragraph', ({ assert }) => {
    const filler = 'Segue a sua fatura em aberto com vencimento próximo e todos os detalhes necessários. '
    const text = `${filler.repeat(9)}PIX copia e cola: ${invoice.codigopix} Linha digitável: ${invoice.linhadigitavel} ${filler.repeat(6)}`
    const parts = splitReply(text, 1000)
    assert.isAbove(parts.length, 1)
    assert.isTrue(parts.some((part) => part.includes(invoice.codigopix)))
    assert.isTrue(parts.some((part) => part.includes(invoice.linhadigitavel)))
    parts.forEach((part) => assert.isAtMost(part.length, 1000))
    assert.equal(parts.join(' ').replace(/\s+/g, ' '), text.trim().replace(/\s+/g, ' '))
  })

  test('a token longer than the limit travels alone instead of being cut', ({ assert }) => {
    const parts = splitReply(`Código: ${invoice.codigopix}`, 100)
    assert.include(parts, invoice.codigopix)
  })
})
