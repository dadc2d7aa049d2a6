import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import CsatSurvey from '#models/csat_survey'
import Conversation from '#models/conversation'
import queues from '#services/queue_service'
import outbox from '#services/outbox_service'
import csat, { surveyJobId } from '#services/csat_service'
import { createMember } from '#tests/helpers/tenancy'
import { startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { createContact, createInbox, insertConversation, resolvedConversation } from './helpers.js'

/*
 * The CSAT engine through its real pieces: PostgreSQL rows, the transactional outbox, BullMQ delayed
 * jobs and the in-process workers. The channel send itself belongs to the outbound pipeline; here a
 * survey "goes out" when its outbound message is stored `queued` with its send job in the outbox.
 */

async function configure(providerId: number, settings: Record<string, unknown>) {
  await csat.updateSettings({ userId: (await db.from('users').first()).id }, providerId, settings as any)
}

async function surveyOf(conversationId: number) {
  return CsatSurvey.query().where('conversation_id', conversationId).firstOrFail()
}

async function outboundMessages(conversationId: number) {
  return db.from('messages').where({ conversation_id: conversationId, direction: 'out' }).orderBy('id')
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A survey that went out: scheduled, then sent by the job's own code path. */
async function sentSurvey(providerId: number, settings: Record<string, unknown> = {}) {
  await configure(providerId, { delaySeconds: 60, ...settings })
  const conversation = await resolvedConversation(providerId)
  const scheduled = await csat.onResolved(conversation)
  if (!scheduled.scheduled) throw new Error('not scheduled')
  assertSent(await csat.sendSurvey(scheduled.surveyId))
  return { conversation, survey: await surveyOf(conversation.id) }
}

function assertSent(result: string) {
  if (result !== 'sent') throw new Error(`expected the survey to be sent, got ${result}`)
}

const customerSays = (conversation: Conversation, text: string | null) =>
  csat.handleCustomerMessage({
    providerId: conversation.providerId,
    inboxId: conversation.inboxId,
    contactId: conversation.contactId,
    text,
  })

test.group('CSAT: scheduling', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  group.each.teardown(() => csat.useChannelCapabilities(() => undefined))

  test('a resolution schedules one delayed job csat-<conversationId>; resolving again schedules nothing more', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    await configure(admin.provider.id, { delaySeconds: 300 })
    const conversation = await resolvedConversation(admin.provider.id)

    const first = await csat.onResolved(conversation)
    const second = await csat.onResolved(conversation)
    assert.isTrue(first.scheduled)
    assert.deepEqual(second, { scheduled: false, reason: 'exists' })

    const surveys = await db.from('csat_surveys').where('conversation_id', conversation.id)
    assert.lengthOf(surveys, 1)
    assert.equal(surveys[0].status, 'scheduled')
    assert.equal(surveys[0].resolved_by_kind, 'ai')
    const rows = await db.from('outbox').where({ queue: 'csat', job_id: surveyJobId(conversation.id) })
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].delay_ms, 300_000)

    await outbox.flush()
    const job = await queues.get('csat').getJob(surveyJobId(conversation.id))
    assert.equal(await job!.getState(), 'delayed')
    assert.equal(job!.name, 'csat.send')
  })

  test('nothing is scheduled when CSAT is off, for a group, or on a channel that cannot carry it', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const providerId = admin.provider.id

    await configure(providerId, { enabled: false })
    assert.deepEqual(await csat.onResolved(await resolvedConversation(providerId)), { scheduled: false, reason: 'disabled' })

    await configure(providerId, { enabled: true })
    assert.deepEqual(await csat.onResolved(await resolvedConversation(providerId, { isGroup: true })), {
      scheduled: false,
      reason: 'group',
    })

    csat.useChannelCapabilities((pluginId) => pluginId !== 'no-text-channel')
    const inbox = await createInbox(providerId, 'Legacy', 'no-text-channel')
    assert.deepEqual(await csat.onResolved(await resolvedConversation(providerId, { inboxId: inbox.id })), {
      scheduled: false,
      reason: 'channel',
    })
    assert.lengthOf(await db.from('csat_surveys'), 0)
    assert.lengthOf(await db.from('outbox').where('queue', 'csat'), 0)
  })

  test('a resolution rolled back takes its survey and job with it', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const conversation = await resolvedConversation(admin.provider.id)
    await assert.rejects(() =>
      db.transaction(async (trx) => {
        await csat.onResolved(conversation, trx)
        throw new Error('the resolution failed')
      })
    )
    assert.lengthOf(await db.from('csat_surveys'), 0)
    assert.lengthOf(await db.from('outbox').where('queue', 'csat'), 0)
  })
})

test.group('CSAT: sending', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  group.each.teardown(() => stopTestWorkers())

  test('the job sends the survey once, in the provider locale, with the scale; a second run sends nothing', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation, survey } = await sentSurvey(admin.provider.id)
    assert.equal(survey.status, 'sent')
    assert.isNotNull(survey.sentAt)
    // Expires after the default 24 h window.
    assert.equal(Math.round(survey.expiresAt!.diff(survey.sentAt!, 'hours').hours), 24)

    const messages = await outboundMessages(conversation.id)
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].status, 'queued')
    assert.equal(messages[0].sender_kind, 'system')
    assert.include(messages[0].content, admin.provider.name)
    assert.include(messages[0].content, '😡 Péssimo | 😕 Ruim | 😐 Regular | 🙂 Bom | 🤩 Excelente')
    const send = await db.from('outbox').where({ queue: 'outbound', job_id: `outbound-${messages[0].id}` })
    assert.lengthOf(send, 1)

    assert.equal(await csat.sendSurvey(survey.id), 'skipped')
    assert.lengthOf(await outboundMessages(conversation.id), 1)
  })

  test('an English-speaking provider gets the English texts', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    admin.provider.locale = 'en'
    await admin.provider.save()
    const { conversation } = await sentSurvey(admin.provider.id)
    const [message] = await outboundMessages(conversation.id)
    assert.include(message.content, 'How would you rate')
  })

  test('a customer message before the survey goes out cancels it and removes its job', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    await configure(admin.provider.id, { delaySeconds: 60 })
    const conversation = await resolvedConversation(admin.provider.id)
    const scheduled = await csat.onResolved(conversation)
    await outbox.flush()
    assert.exists(await queues.get('csat').getJob(surveyJobId(conversation.id)))

    const outcome = await customerSays(conversation, 'minha internet caiu de novo')
    assert.deepEqual(outcome, { kind: 'not_answer' })
    assert.equal((await surveyOf(conversation.id)).status, 'cancelled')
    await waitFor(async () => !(await queues.get('csat').getJob(surveyJobId(conversation.id))))

    // Even a job that slipped through finds nothing to send.
    assert.equal(await csat.sendSurvey((scheduled as any).surveyId), 'skipped')
    assert.lengthOf(await outboundMessages(conversation.id), 0)
  })

  test('a conversation reopened (or superseded by a newer one) before sending gets no survey', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    await configure(admin.provider.id, { delaySeconds: 60 })
    const reopened = await resolvedConversation(admin.provider.id)
    const first = await csat.onResolved(reopened)
    await db.from('conversations').where('id', reopened.id).update({ status: 'open' })
    assert.equal(await csat.sendSurvey((first as any).surveyId), 'cancelled')

    const superseded = await resolvedConversation(admin.provider.id)
    const second = await csat.onResolved(superseded)
    await insertConversation({
      providerId: admin.provider.id,
      inboxId: superseded.inboxId,
      contactId: superseded.contactId,
      status: 'bot',
      createdAt: new Date().toISOString(),
    })
    assert.equal(await csat.sendSurvey((second as any).surveyId), 'cancelled')
    assert.lengthOf(await db.from('messages').where('direction', 'out'), 0)
  })

  test('the delayed job survives a worker restart and the survey is sent exactly once', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    await configure(admin.provider.id, { delaySeconds: 2 })
    const conversation = await resolvedConversation(admin.provider.id)
    await csat.onResolved(conversation)
    await outbox.flush()

    // Workers come up and go down while the job is still delayed.
    await startTestWorkers()
    await stopTestWorkers()
    const job = await queues.get('csat').getJob(surveyJobId(conversation.id))
    assert.equal(await job!.getState(), 'delayed')
    assert.equal((await surveyOf(conversation.id)).status, 'scheduled')

    // A fresh set of workers picks the job up when it is due.
    await startTestWorkers()
    await waitFor(async () => (await surveyOf(conversation.id)).status === 'sent')
    await waitFor(async () => (await queues.get('csat').getJob(surveyJobId(conversation.id)))!.isCompleted())
    const questions = (await outboundMessages(conversation.id)).filter((m) => m.metadata?.csat?.part === 'question')
    assert.lengthOf(questions, 1)
  })
})

test.group('CSAT: answers', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  group.each.teardown(() => csat.useAiClassifier(null))

  for (const [text, rating, source] of [
    ['🤩', 5, 'emoji'],
    ['4', 4, 'number'],
    ['muito bom, obrigado', 5, 'lexicon'],
    ['não gostei', 2, 'lexicon'],
  ] as const) {
    test(`"${text}" is answer ${rating} (${source}), stored with who resolved and pushed to supervisors`, async ({ assert }) => {
      const admin = await createMember(null, 'admin')
      const { conversation, survey } = await sentSurvey(admin.provider.id, { followUpEnabled: false })
      const outcome = await customerSays(conversation, text)
      assert.deepEqual(outcome, { kind: 'answer', conversationId: conversation.id, surveyId: survey.id, rating, source })

      const stored = await surveyOf(conversation.id)
      assert.equal(stored.status, 'answered')
      assert.equal(stored.rating, rating)
      assert.equal(stored.answerSource, source)
      assert.equal(stored.answerText, text)
      assert.equal(stored.resolvedByKind, 'ai')
      assert.equal(stored.inboxId, conversation.inboxId)
      // The conversation stays resolved, and the customer is thanked.
      assert.equal((await Conversation.findOrFail(conversation.id)).status, 'resolved')
      const [, thanks] = await outboundMessages(conversation.id)
      assert.equal(thanks.metadata.csat.part, 'thanks')
      assert.include(thanks.content, 'Obrigado pela sua avaliação')

      const [event] = await db
        .from('realtime_events')
        .where({ provider_id: admin.provider.id, event: 'csat.answered' })
      assert.deepEqual(event.channels, [`providers/${admin.provider.id}/supervision`])
      assert.equal(event.payload.rating, rating)
      assert.equal(event.payload.conversationId, conversation.id)
    })
  }

  test('a message that is not an answer opens a new conversation and leaves the survey open', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation } = await sentSurvey(admin.provider.id)
    assert.deepEqual(await customerSays(conversation, 'meu boleto venceu'), { kind: 'not_answer' })
    assert.deepEqual(await customerSays(conversation, null), { kind: 'not_answer' }) // a photo without caption
    assert.equal((await surveyOf(conversation.id)).status, 'sent')
    // ...and a rating afterwards, inside the window, still counts.
    assert.equal((await customerSays(conversation, '5')).kind, 'answer')
  })

  test('free text goes to the AI classifier when one is configured', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const seen: string[] = []
    csat.useAiClassifier(async ({ text, locale }) => {
      seen.push(`${locale}:${text}`)
      return text.includes('resolveram rapidinho') ? { rating: 5 } : null
    })
    const { conversation } = await sentSurvey(admin.provider.id)
    assert.deepEqual(await customerSays(conversation, 'vocês quero cancelar'), { kind: 'not_answer' })
    const outcome = await customerSays(conversation, 'resolveram rapidinho meu problema, parabéns')
    assert.equal(outcome.kind, 'answer')
    assert.equal((outcome as any).source, 'ai')
    assert.equal((await surveyOf(conversation.id)).rating, 5)
    // Rule-based answers never reach the AI.
    assert.deepEqual(seen, ['pt-BR:vocês quero cancelar', 'pt-BR:resolveram rapidinho meu problema, parabéns'])
  })

  test('an AI that fails or answers nonsense never swallows the message', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation } = await sentSurvey(admin.provider.id)
    csat.useAiClassifier(async () => {
      throw new Error('AI down')
    })
    assert.deepEqual(await customerSays(conversation, 'foi tipo assim né'), { kind: 'not_answer' })
    csat.useAiClassifier(async () => ({ rating: 9 }))
    assert.deepEqual(await customerSays(conversation, 'foi tipo assim né'), { kind: 'not_answer' })
    assert.equal((await surveyOf(conversation.id)).status, 'sent')
  })

  test('a low score gets the follow-up question; the next message is stored as feedback and thanked', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation, survey } = await sentSurvey(admin.provider.id)
    assert.equal((await customerSays(conversation, '😡')).kind, 'answer')
    const afterRating = await outboundMessages(conversation.id)
    assert.equal(afterRating[1].metadata.csat.part, 'follow_up')
    assert.include(afterRating[1].content, 'O que poderíamos ter feito melhor?')

    const feedback = await customerSays(conversation, 'O técnico não apareceu no horário marcado')
    assert.deepEqual(feedback, { kind: 'feedback', conversationId: conversation.id, surveyId: survey.id })
    const stored = await surveyOf(conversation.id)
    assert.equal(stored.rating, 1)
    assert.equal(stored.feedback, 'O técnico não apareceu no horário marcado')
    const all = await outboundMessages(conversation.id)
    assert.deepEqual(all.map((m) => m.metadata.csat.part), ['question', 'follow_up', 'thanks'])

    // After the feedback, the next message is a new request.
    assert.deepEqual(await customerSays(conversation, 'outra coisa'), { kind: 'not_answer' })
  })

  test('a good score gets no follow-up question', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation } = await sentSurvey(admin.provider.id)
    await customerSays(conversation, '🙂')
    assert.deepEqual(await customerSays(conversation, 'mais uma pergunta'), { kind: 'not_answer' })
    assert.deepEqual((await outboundMessages(conversation.id)).map((m) => m.metadata.csat.part), ['question', 'thanks'])
  })

  test('an answer after the window is not taken: the survey expires and the message opens a conversation', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation, survey } = await sentSurvey(admin.provider.id)
    await db.from('csat_surveys').where('id', survey.id).update({ expires_at: new Date(Date.now() - 1000) })
    assert.deepEqual(await customerSays(conversation, '5'), { kind: 'not_answer' })
    const stored = await surveyOf(conversation.id)
    assert.equal(stored.status, 'expired')
    assert.isNull(stored.rating)
  })

  test('the expiry job closes an unanswered survey when its window is over, not before', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { survey } = await sentSurvey(admin.provider.id)
    assert.isFalse(await csat.expireSurvey(survey.id))
    assert.equal((await CsatSurvey.findOrFail(survey.id)).status, 'sent')
    await db.from('csat_surveys').where('id', survey.id).update({ expires_at: new Date(Date.now() - 1000) })
    assert.isTrue(await csat.expireSurvey(survey.id))
    assert.equal((await CsatSurvey.findOrFail(survey.id)).status, 'expired')
    const job = await db.from('outbox').where({ queue: 'csat', job_id: `csat-expire-${survey.id}` }).first()
    assert.equal(job.delay_ms, 24 * 3_600_000)
  })

  test("one contact's survey is never answered by another contact or through another provider", async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const { conversation } = await sentSurvey(admin.provider.id)
    const stranger = await createContact(admin.provider.id, 'Outro')
    const outcome = await csat.handleCustomerMessage({
      providerId: admin.provider.id,
      inboxId: conversation.inboxId,
      contactId: stranger.id,
      text: '5',
    })
    assert.deepEqual(outcome, { kind: 'not_answer' })
    const other = await createMember(null, 'admin')
    const crossTenant = await csat.handleCustomerMessage({
      providerId: other.provider.id,
      inboxId: conversation.inboxId,
      contactId: conversation.contactId,
      text: '5',
    })
    assert.deepEqual(crossTenant, { kind: 'not_answer' })
    assert.equal((await surveyOf(conversation.id)).status, 'sent')
  })
})

test.group('CSAT: inactivity auto-resolve', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('open and pending conversations idle longer than the setting are resolved by inactivity and surveyed', async ({ assert }) => {
    const admin = await createMember(null, 'admin')
    const providerId = admin.provider.id
    await configure(providerId, { inactivityMinutes: 30 })
    const inbox = await createInbox(providerId)
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()
    const conversation = async (status: string, idleMinutes: number, owner = providerId, inboxId = inbox.id) =>
      insertConversation({
        providerId: owner,
        inboxId,
        contactId: (await createContact(owner)).id,
        status,
        createdAt: minutesAgo(idleMinutes + 5),
        lastActivityAt: minutesAgo(idleMinutes),
      })
    const idleOpen = await conversation('open', 31)
    const idlePending = await conversation('pending', 90)
    const recentOpen = await conversation('open', 10)
    const idleBot = await conversation('bot', 120) // the AI's conversations are not closed by this rule
    const other = await createMember(null, 'admin') // a provider without the setting
    const foreign = await conversation('open', 500, other.provider.id, (await createInbox(other.provider.id)).id)

    assert.equal(await csat.resolveInactive(providerId), 2)
    assert.equal(await csat.resolveInactive(other.provider.id), 0)

    const statuses = Object.fromEntries(
      (await db.from('conversations').select('id', 'status', 'resolved_by_kind')).map((r) => [r.id, [r.status, r.resolved_by_kind]])
    )
    assert.deepEqual(statuses[idleOpen], ['resolved', 'inactivity'])
    assert.deepEqual(statuses[idlePending], ['resolved', 'inactivity'])
    assert.deepEqual(statuses[recentOpen], ['open', null])
    assert.deepEqual(statuses[idleBot], ['bot', null])
    assert.deepEqual(statuses[foreign], ['open', null])

    const surveys = await db.from('csat_surveys').orderBy('conversation_id')
    assert.deepEqual(surveys.map((s) => [s.conversation_id, s.resolved_by_kind, s.status]), [
      [idleOpen, 'inactivity', 'scheduled'],
      [idlePending, 'inactivity', 'scheduled'],
    ])
    // Running again finds nothing left to do.
    assert.equal(await csat.resolveInactive(providerId), 0)
  })
})
