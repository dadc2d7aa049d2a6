import { PluginError } from '#plugins/sdk'
import type { AiHandle } from '#services/ai_settings_service'

const PROMPT =
  'Você classifica a resposta de um cliente a uma pesquisa de satisfação (nota de 1 a 5). ' +
  'Responda somente com JSON: {"answer": true, "rating": N} se a mensagem for uma avaliação do atendimento, ' +
  'ou {"answer": false} se for outro assunto (uma nova dúvida, um pedido, um problema).'

/**
 * The last step of the CSAT answer reader (DESIGN "CSAT"): a free-text reply the lexicon could not
 * read is classified by the provider's AI. Null — not an answer — whenever there is no AI or it
 * fails, so the message opens a new conversation instead of being swallowed.
 */
export async function classifyCsatAnswer(ai: AiHandle | null, text: string): Promise<{ rating: number } | null> {
  if (!ai) return null
  try {
    const result = await ai.adapter.chat(
      { messages: [{ role: 'system', content: PROMPT }, { role: 'user', content: text.slice(0, 1000) }], model: ai.model, temperature: 0, maxTokens: 30 },
      ai.ctx
    )
    const json = (result.text ?? '').match(/\{[^}]*\}/)?.[0]
    if (!json) return null
    const parsed = JSON.parse(json) as { answer?: boolean; rating?: number }
    const rating = Number(parsed.rating)
    return parsed.answer === true && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? { rating } : null
  } catch (error) {
    if (error instanceof PluginError || error instanceof SyntaxError) return null
    throw error
  }
}
