import { test } from '@japa/runner'
import { readCsatAnswer } from '#services/csat_lexicon'

const cases = (list: [string, number | null, string?][]) => list

test.group('CSAT answer reader: emojis', () => {
  for (const [text, rating] of cases([
    ['😡', 1],
    ['😕', 2],
    ['😐', 3],
    ['🙂', 4],
    ['🤩', 5],
    ['🤩🤩🤩', 5],
    ['  🙂  ', 4],
    ['🤩 adorei!', 5],
    ['🙂️', 4], // with a variation selector
  ])) {
    test(`"${text}" → ${rating}`, ({ assert }) => {
      assert.deepEqual(readCsatAnswer(text), { rating: rating as any, source: 'emoji' })
    })
  }

  test('the whole scale pasted back, or two different faces, is no emoji answer', ({ assert }) => {
    assert.isNull(readCsatAnswer('😡 Péssimo | 😕 Ruim | 😐 Regular | 🙂 Bom | 🤩 Excelente'))
    assert.isNull(readCsatAnswer('🙂🤩'))
  })

  test('other emojis are not ratings on their own', ({ assert }) => {
    assert.isNull(readCsatAnswer('👍'))
    assert.isNull(readCsatAnswer('😂'))
  })
})

test.group('CSAT answer reader: numbers', () => {
  for (const [text, rating] of cases([
    ['1', 1],
    ['2', 2],
    ['3', 3],
    ['4', 4],
    ['5', 5],
    [' 5 ', 5],
    ['5!', 5],
    ['nota 4', 4],
    ['Nota: 3', 3],
    ['5/5', 5],
    ['4 estrelas', 4],
    ['1 star', 1],
    ['dou nota 5', 5],
  ])) {
    test(`"${text}" → ${rating}`, ({ assert }) => {
      assert.deepEqual(readCsatAnswer(text), { rating: rating as any, source: 'number' })
    })
  }

  for (const text of ['0', '6', '10', '45', '3.5', '12345', 'meu cpf é 12345678900', 'contrato 4 sem internet']) {
    test(`"${text}" is not a rating`, ({ assert }) => {
      assert.isNull(readCsatAnswer(text))
    })
  }
})

test.group('CSAT answer reader: pt-BR and English phrases', () => {
  for (const [text, rating] of cases([
    // pt-BR positive
    ['excelente', 5],
    ['Excelente!', 5],
    ['ótimo', 5],
    ['otimo atendimento', 5],
    ['muito bom', 5],
    ['Muito bom o atendimento, obrigado!', 5],
    ['adorei', 5],
    ['perfeito, valeu', 5],
    ['nota dez', 5],
    ['bom', 4],
    ['foi bom', 4],
    ['gostei', 4],
    ['gostei do atendimento', 4],
    ['gostei muito', 5],
    ['legal', 4],
    ['nada mal', 4],
    ['fui bem atendido', null], // "fui" is not in the filler list: ambiguous, left to the AI
    ['bem atendido', 4],
    // neutral
    ['regular', 3],
    ['mais ou menos', 3],
    ['razoável', 3],
    ['nem bom nem ruim', 3],
    ['ok', 3],
    ['não foi ruim', 3],
    // negative
    ['ruim', 2],
    ['não gostei', 2],
    ['Não gostei do atendimento', 2],
    ['nao gostei', 2],
    ['n gostei', 2],
    ['nada bom', 2],
    ['não foi bom', 2],
    ['deixou a desejar', 2],
    ['muito ruim', 1],
    ['péssimo', 1],
    ['PÉSSIMO!!!', 1],
    ['pessimo atendimento', 1],
    ['atendimento péssimo', 1],
    ['horrível', 1],
    ['odiei', 1],
    // English
    ['excellent', 5],
    ['great service, thanks', 5],
    ['very good', 5],
    ['good', 4],
    ['it was good', 4],
    ['I liked it', 4],
    ['not bad', 4],
    ['okay', 3],
    ['so-so', 3],
    ['average', 3],
    ['bad', 2],
    ['not good', 2],
    ['it was not good', 2],
    ['not very good', 2],
    ["I didn't like it", 2],
    ['very bad', 1],
    ['terrible', 1],
    ['the worst', 1],
  ])) {
    test(`"${text}" → ${rating}`, ({ assert }) => {
      const answer = readCsatAnswer(text)
      if (rating === null) assert.isNull(answer)
      else assert.deepEqual(answer, { rating: rating as any, source: 'lexicon' })
    })
  }
})

test.group('CSAT answer reader: messages that are not answers', () => {
  for (const text of [
    'meu boleto venceu',
    'Meu boleto venceu, pode mandar a segunda via?',
    'a internet está ruim de novo', // a complaint about the service, not a rating of the attendance
    'estou sem internet',
    'oi',
    'bom dia', // a greeting, not a rating
    'boa tarde, preciso de ajuda',
    'obrigado',
    'muito obrigado!',
    'qual o valor do plano de 300 mega?',
    'não',
    'sim',
    'ok mas minha internet caiu',
    'bom mas péssimo suporte', // contradictory: left to the AI
    'hello, my connection is down',
    'thanks',
    '',
    '   ',
  ]) {
    test(`"${text}" → not an answer`, ({ assert }) => {
      assert.isNull(readCsatAnswer(text))
    })
  }

  test('null and undefined are not answers', ({ assert }) => {
    assert.isNull(readCsatAnswer(null))
    assert.isNull(readCsatAnswer(undefined))
  })
})
