/*
 * How the domain services react to each other, in one place: every hook runs inside the transaction
 * of the change that triggered it, so a reaction and its cause commit (or roll back) together.
 */
import csat from '#services/csat_service'
import conversations, { conversationHooks } from '#services/conversation_service'
import ingest from '#services/ingest_service'
import aiAgent from '#services/ai_agent_service'
import aiSettings from '#services/ai_settings_service'
import { classifyCsatAnswer } from '#services/ai/csat_classifier'

// A resolution schedules the CSAT survey; a reopening cancels it.
conversationHooks.onResolved((conversation, trx) => csat.onResolved(conversation, trx))
conversationHooks.onReopened((conversation, trx) => csat.onReopened(conversation, trx))
csat.useResolver((conversation, trx) => conversations.resolveLocked(conversation, trx, { kind: 'inactivity' }).then(() => {}))

// A customer message the AI may answer schedules a debounced AI reply.
ingest.onCustomerMessage(async ({ conversation, answerable }, trx) => {
  if (answerable) await aiAgent.onCustomerMessage(conversation, trx)
})

// Free-text CSAT answers are read by the provider's AI when one is configured.
csat.useAiClassifier(async (input) => classifyCsatAnswer(await aiSettings.aiFor(input.providerId), input.text))
