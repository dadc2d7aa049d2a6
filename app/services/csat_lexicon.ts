/**
 * Reads a customer's reply to the CSAT survey without any AI, in the design's order:
 *   1. exactly one of the five scale emojis (😡 😕 😐 🙂 🤩, repeats allowed) → 1..5;
 *   2. a lone number 1–5 ("4", "nota 4", "5/5", "5 estrelas");
 *   3. a short phrase from the pt-BR/English lexicon below, with negations ("não gostei" → 2,
 *      "não foi ruim" → 3) and intensifiers ("muito bom" → 5, "muito ruim" → 1).
 * Anything else is `null`: the caller may still ask the AI, otherwise the message is not an answer.
 *
 * The lexicon rule is deliberately strict: every word of the message must be either part of a
 * rated phrase or a harmless filler word ("o atendimento foi ótimo, obrigado"). A message with any
 * other word ("a internet está ruim", "meu boleto venceu") is a new request, not a rating, and must
 * open a new conversation rather than be swallowed as a score.
 *
 * Pure module (no app imports) so it can be unit-tested and reused.
 */

export type AnswerSource = 'emoji' | 'number' | 'lexicon' | 'ai'

export interface ReadAnswer {
  rating: 1 | 2 | 3 | 4 | 5
  source: Exclude<AnswerSource, 'ai'>
}

/** The survey's scale, worst to best: index + 1 is the rating. */
export const SCALE_EMOJIS = ['😡', '😕', '😐', '🙂', '🤩'] as const

/** Rated phrases, written without accents (text is folded before matching). Longest match wins. */
const PHRASES: Record<string, 1 | 2 | 3 | 4 | 5> = {}
function rate(rating: 1 | 2 | 3 | 4 | 5, phrases: string[]) {
  for (const phrase of phrases) PHRASES[phrase] = rating
}

rate(5, [
  // pt-BR
  'excelente', 'otimo', 'otima', 'perfeito', 'perfeita', 'maravilhoso', 'maravilhosa', 'sensacional',
  'incrivel', 'fantastico', 'fantastica', 'espetacular', 'show de bola', 'nota dez', 'nota 10', 'dez',
  'adorei', 'amei', 'top', 'nota maxima', 'excepcional', 'impecavel', 'muito satisfeito', 'muito satisfeita',
  'super satisfeito', 'super satisfeita', 'gostei muito', 'bom demais', 'muito bem atendido',
  'muito bem atendida',
  // en
  'excellent', 'great', 'amazing', 'awesome', 'perfect', 'fantastic', 'outstanding', 'wonderful',
  'superb', 'brilliant', 'loved it', 'love it', 'loved', 'very satisfied', 'extremely satisfied',
  'the best', 'best service',
])
rate(4, [
  'bom', 'boa', 'gostei', 'legal', 'satisfeito', 'satisfeita', 'bem atendido', 'bem atendida', 'nada mal',
  'show', 'beleza', 'tranquilo', 'good', 'nice', 'liked it', 'liked', 'like it', 'satisfied', 'pretty good',
  'quite good', 'not bad', 'fine',
])
rate(3, [
  'regular', 'razoavel', 'mais ou menos', 'mediano', 'mediana', 'normal', 'ok', 'okay', 'nem bom nem ruim',
  'aceitavel', 'average', 'so so', 'so-so', 'meh', 'neutral', 'fair', 'acceptable', 'neutro',
])
rate(2, [
  'ruim', 'fraco', 'fraca', 'insatisfeito', 'insatisfeita', 'deixou a desejar', 'demorado', 'demorada',
  'bad', 'poor', 'disappointed', 'disappointing', 'unsatisfied', 'dissatisfied', 'slow', 'mediocre',
])
rate(1, [
  'pessimo', 'pessima', 'horrivel', 'terrivel', 'lixo', 'odiei', 'porcaria', 'vergonhoso', 'vergonha',
  'uma vergonha', 'ridiculo', 'muito ruim', 'pessimo atendimento', 'awful', 'terrible', 'horrible',
  'worst', 'the worst', 'hated it', 'hate it', 'very bad', 'really bad', 'useless', 'garbage',
  'muito insatisfeito', 'muito insatisfeita', 'very disappointed', 'pathetic',
])

/** Words that turn the next rated phrase around: positive → 2, negative → 3. */
const NEGATIONS = new Set([
  'nao', 'n', 'nada', 'nem', 'nunca', 'jamais', 'not', 'never', 'no', 'isnt', 'wasnt', 'didnt', 'dont', 'doesnt',
])
/** Words that push the next rated phrase to the end of the scale: 4 → 5, 2 → 1. */
const INTENSIFIERS = new Set(['muito', 'super', 'mega', 'bem', 'very', 'really', 'so', 'extremely', 'too', 'mto', 'mt'])

/**
 * Words that may surround a rating without changing it: articles, "the service was", thanks, the
 * company's or agent's reference. A message made only of these (e.g. "obrigado") is not a rating.
 */
const FILLER = new Set(
  `o a os as um uma foi e eh é esta estava ta tava seu sua seus suas meu minha de do da dos das no na
   pelo pela pra para com atendimento atendente atendentes servico suporte experiencia voces vcs voce vc
   equipe pessoal tudo achei acho considero sim obrigado obrigada obg brigado brigada valeu vlw grato grata agradeco
   agradecemos mesmo bastante demais ai aí ne hoje rapido rapida atencao resposta minha nota dou daria
   the service was it is its it's support experience your you team very thanks thank thx ty overall my
   rating i would give and really so quite all pretty this that`
    .split(/\s+/)
    .filter(Boolean)
)

/** Lower case, accents removed, everything but letters, digits and '/' turned into spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}/\s-]+/gu, ' ')
    .replace(/(\p{L})-(\p{L})/gu, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim()
}

function readEmoji(text: string): ReadAnswer | null {
  const found = new Set<number>()
  for (const [index, emoji] of SCALE_EMOJIS.entries()) {
    if (text.includes(emoji)) found.add(index + 1)
  }
  // The whole scale pasted back, or two different faces, says nothing: fall through to the next rules.
  if (found.size !== 1) return null
  return { rating: [...found][0] as ReadAnswer['rating'], source: 'emoji' }
}

const LONE_NUMBER =
  /^(?:(?:nota|dou|dou nota|minha nota|rating|score|i give|give)\s+)?([1-5])(?:\s*(?:\/\s*5|de 5|out of 5|estrelas?|stars?|pontos?|points?))?$/

function readNumber(folded: string): ReadAnswer | null {
  const match = folded.match(LONE_NUMBER)
  if (!match) return null
  return { rating: Number(match[1]) as ReadAnswer['rating'], source: 'number' }
}

const MAX_PHRASE_WORDS = Math.max(...Object.keys(PHRASES).map((phrase) => phrase.split(' ').length))

function readPhrases(folded: string): ReadAnswer | null {
  const words = folded.split(' ').filter(Boolean)
  if (!words.length || words.length > 14) return null

  const ratings: number[] = []
  let negated = false
  let intensified = false
  let gap = 0 // filler words since the last negation/intensifier
  let i = 0
  while (i < words.length) {
    let matched = 0
    for (let size = Math.min(MAX_PHRASE_WORDS, words.length - i); size > 0; size--) {
      const candidate = words.slice(i, i + size).join(' ')
      if (PHRASES[candidate] !== undefined) {
        let rating = PHRASES[candidate]
        if (negated) rating = rating >= 4 ? 2 : rating <= 2 ? 3 : 2
        else if (intensified) rating = rating === 4 ? 5 : rating === 2 ? 1 : rating
        ratings.push(rating)
        matched = size
        break
      }
    }
    if (matched) {
      negated = false
      intensified = false
      i += matched
      continue
    }
    const word = words[i]
    if (NEGATIONS.has(word)) {
      negated = true
      gap = 0
    } else if (INTENSIFIERS.has(word) && !negated) {
      intensified = true
      gap = 0
    } else if (FILLER.has(word)) {
      // "não foi bom": a couple of filler words may sit between a negation and its phrase.
      if (++gap > 2) {
        negated = false
        intensified = false
      }
    } else {
      return null // a word that is neither a rating nor filler: this is a request, not a score
    }
    i++
  }
  if (!ratings.length) return null
  // "ótimo, excelente" agree; "bom mas péssimo" does not, and a guess would be worse than asking the AI.
  if (new Set(ratings).size !== 1) return null
  return { rating: ratings[0] as ReadAnswer['rating'], source: 'lexicon' }
}

/** The rating a reply gives, or `null` when the rules above cannot tell (ask the AI, or not an answer). */
export function readCsatAnswer(text: string | null | undefined): ReadAnswer | null {
  if (!text || !text.trim()) return null
  const emoji = readEmoji(text)
  if (emoji) return emoji
  const folded = foldText(text)
  if (!folded) return null
  return readNumber(folded) ?? readPhrases(folded)
}
