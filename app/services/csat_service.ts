import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Conversation from '#models/conversation'
import CsatSurvey from '#models/csat_survey'
import Contact from '#models/contact'
import Inbox from '#models/inbox'
import Message from '#models/message'
import Provider from '#models/provider'
import ProviderSetting from '#models/provider_setting'
import audit from '#services/audit_service'
import outbox from '#services/outbox_service'
import queues from '#services/queue_service'
import realtime from '#services/realtime_service'
import { channels } from '#realtime/channels'
import { currentLogger } from '#services/logging'
import { readCsatAnswer, type AnswerSource } from '#services/csat_lexicon'
import { truncate } from '#services/text'

/*
 * CSAT (see DESIGN "CSAT"): one survey per resolved conversation, sent through the conversation's
 * channel after a per-provider delay by a delayed BullMQ job whose id is `csat-<conversationId>`, so
 * scheduling twice is a no-op. The survey row is the source of truth; jobs only act on it while it
 * is in the state they expect, so a late, duplicated or restarted job never sends twice.
 *
 * Survey states: scheduled → sent → answered, or scheduled → cancelled (the customer wrote first,
 * the conversation was reopened, CSAT was switched off), or sent → expired (no answer in the window).
 */

export const CSAT_LOCALES = ['pt-BR', 'en'] as const
export type CsatLocale = (typeof CSAT_LOCALES)[number]

export interface CsatTexts {
  /** The survey; should show the five-emoji scale the answer reader understands. */
  question: string
  /** Sent after a rating (or after the feedback to the follow-up question). */
  thanks: string
  /** Asked after a low rating (1 or 2) when the follow-up is on. */
  followUp: string
}

export interface CsatSettings {
  enabled: boolean
  delaySeconds: number
  answerWindowHours: number
  followUpEnabled: boolean
  /** Open/pending conversations idle this long are resolved (and surveyed); 0 turns it off. */
  inactivityMinutes: number
  texts: Record<CsatLocale, CsatTexts>
}

export type CsatSettingsInput = Partial<Omit<CsatSettings, 'texts'>> & {
  texts?: Partial<Record<CsatLocale, Partial<CsatTexts>>>
}

/** `{company}` and `{name}` (the contact's name) are replaced when the text is sent. */
export const DEFAULT_CSAT_TEXTS: Record<CsatLocale, CsatTexts> = {
  'pt-BR': {
    question:
      'Obrigado por falar com a {company}! Como você avalia o atendimento que recebeu? ' +
      'Responda com uma nota de 1 a 5 ou com um destes emojis:\n😡 Péssimo | 😕 Ruim | 😐 Regular | 🙂 Bom | 🤩 Excelente',
    thanks: 'Obrigado pela sua avaliação! Ela nos ajuda a melhorar sempre. 💙',
    followUp: 'Sentimos muito por isso. O que poderíamos ter feito melhor?',
  },
  en: {
    question:
      'Thank you for contacting {company}! How would you rate the service you received? ' +
      'Reply with a score from 1 to 5 or one of these emojis:\n😡 Terrible | 😕 Bad | 😐 Okay | 🙂 Good | 🤩 Excellent',
    thanks: 'Thank you for your rating! It helps us get better every day. 💙',
    followUp: 'We are sorry to hear that. What could we have done better?',
  },
}

export const DEFAULT_CSAT_SETTINGS: CsatSettings = {
  enabled: true,
  delaySeconds: 120,
  answerWindowHours: 24,
  followUpEnabled: true,
  inactivityMinutes: 0,
  texts: DEFAULT_CSAT_TEXTS,
}

export const CSAT_QUEUE = 'csat' as const
export const CSAT_JOBS = {
  send: 'csat.send',
  expire: 'csat.expire',
  inactivity: 'csat.inactivity',
} as const

/** Ratings at or below this get the follow-up question. */
const LOW_RATING = 2
const INACTIVITY_SWEEP_EVERY_MS = 60_000
const INACTIVITY_BATCH = 200

export const surveyJobId = (conversationId: number) => `csat-${conversationId}`
export const expiryJobId = (surveyId: number) => `csat-expire-${surveyId}`
export const inactivitySchedulerId = (providerId: number) => `csat-inactivity-${providerId}`

export type ScheduleResult =
  | { scheduled: true; surveyId: number }
  | { scheduled: false; reason: 'disabled' | 'group' | 'channel' | 'exists' | 'not_resolved' }

/** What the ingest does with a customer message that found no active conversation. */
export type CustomerMessageOutcome =
  /** Not about the survey: open a new conversation as usual (a survey still waiting was cancelled). */
  | { kind: 'not_answer' }
  /** The survey's answer: store the message in `conversationId` (which stays resolved); do nothing else. */
  | { kind: 'answer'; conversationId: number; surveyId: number; rating: number; source: AnswerSource }
  /** The reply to the follow-up question: store it in `conversationId` (which stays resolved). */
  | { kind: 'feedback'; conversationId: number; surveyId: number }

export interface CustomerMessageInput {
  providerId: number
  inboxId: number
  contactId: number
  /** Text or caption; null for media without a caption. */
  text: string | null
}

/** The AI's reading of a free-text reply: a rating, or null for "not an answer" (or no AI configured). */
export type CsatAiClassifier = (input: {
  providerId: number
  text: string
  locale: CsatLocale
}) => Promise<{ rating: number } | null>

/** Whether a channel plugin can carry a survey (ChannelCapabilities.csat); undefined = unknown. */
export type ChannelCsatCapability = (pluginId: string) => boolean | undefined

/**
 * How a conversation gets resolved by the inactivity sweep. Until the conversation workflow service
 * provides one, a minimal built-in resolution is used (status, timestamps, audit, realtime, survey).
 */
export type ConversationResolver = (conversation: Conversation, trx: TransactionClientContract) => Promise<void>

/** Sends a system text in a conversation (the survey, thanks, follow-up); see #queueText. */
export type SystemTextSender = (
  trx: TransactionClientContract,
  conversation: Conversation,
  text: string,
  metadata: Record<string, unknown>
) => Promise<void>

export class CsatService {
  #aiClassifier: CsatAiClassifier | null = null
  #channelCapability: ChannelCsatCapability = () => undefined
  #resolver: ConversationResolver | null = null
  #sender: SystemTextSender | null = null

  /** The AI plugin plugs its classifier in here (one call at boot). */
  useAiClassifier(classifier: CsatAiClassifier | null) {
    this.#aiClassifier = classifier
  }

  /** The plugin registry tells which channels can carry a survey (one call at boot). */
  useChannelCapabilities(lookup: ChannelCsatCapability) {
    this.#channelCapability = lookup
  }

  /** The conversation workflow provides the real resolve (one call at boot). */
  useResolver(resolver: ConversationResolver | null) {
    this.#resolver = resolver
  }

  /** The outbound service provides the real "queue a text for sending" (one call at boot). */
  useSender(sender: SystemTextSender | null) {
    this.#sender = sender
  }

  /* ---------------------------------------------------------------------------------------------
   * Settings
   * ------------------------------------------------------------------------------------------- */

  async settings(providerId: number, client?: TransactionClientContract): Promise<CsatSettings> {
    const row = await ProviderSetting.query({ client }).where({ providerId, kind: 'csat' }).first()
    return mergeSettings(DEFAULT_CSAT_SETTINGS, row ? { ...(row.settings as CsatSettingsInput), enabled: row.enabled } : {})
  }

  async updateSettings(
    actor: { userId: number; ip?: string | null },
    providerId: number,
    input: CsatSettingsInput
  ): Promise<CsatSettings> {
    return db.transaction(async (trx) => {
      const before = await this.settings(providerId, trx)
      const next = mergeSettings(before, input)
      const { enabled, ...settings } = next
      await trx.rawQuery(
        `INSERT INTO provider_settings (provider_id, kind, enabled, settings, created_at, updated_at)
         VALUES (?, 'csat', ?, ?::jsonb, now(), now())
         ON CONFLICT (provider_id, kind) DO UPDATE SET enabled = excluded.enabled, settings = excluded.settings,
           updated_at = now()`,
        [providerId, enabled, JSON.stringify(settings)]
      )
      await audit.record(
        {
          providerId,
          userId: actor.userId,
          ip: actor.ip ?? null,
          action: 'settings.csat.updated',
          targetType: 'provider_setting',
          targetId: 'csat',
          before: { ...before },
          after: { ...next },
        },
        trx
      )
      // Inside the transaction: if Redis refuses the scheduler, the settings are not saved either.
      await this.syncInactivityScheduler(providerId, next.enabled ? next.inactivityMinutes : 0)
      return next
    })
  }

  /** A repeatable job per provider sweeps idle conversations while the setting is on. */
  async syncInactivityScheduler(providerId: number, minutes: number) {
    const queue = queues.get(CSAT_QUEUE)
    if (minutes > 0) {
      await queue.upsertJobScheduler(
        inactivitySchedulerId(providerId),
        { every: INACTIVITY_SWEEP_EVERY_MS },
        { name: CSAT_JOBS.inactivity, data: { providerId } }
      )
    } else {
      await queue.removeJobScheduler(inactivitySchedulerId(providerId))
    }
  }

  /* ---------------------------------------------------------------------------------------------
   * Scheduling
   * ------------------------------------------------------------------------------------------- */

  /**
   * Call once a conversation is resolved (agent, supervisor, AI, inactivity), inside the resolving
   * transaction when there is one, so the survey and its job commit or roll back with the resolution.
   * Idempotent: a conversation gets at most one survey, however often it is resolved.
   */
  async onResolved(conversation: Conversation, trx?: TransactionClientContract): Promise<ScheduleResult> {
    return within(trx, async (client) => {
      if (conversation.status !== 'resolved') return { scheduled: false, reason: 'not_resolved' }
      const settings = await this.settings(conversation.providerId, client)
      if (!settings.enabled) return { scheduled: false, reason: 'disabled' }
      if (conversation.isGroup) return { scheduled: false, reason: 'group' }
      const inbox = await Inbox.query({ client }).where('id', conversation.inboxId).firstOrFail()
      if (this.#channelCapability(inbox.pluginId) === false) return { scheduled: false, reason: 'channel' }

      const agentId =
        conversation.assigneeId ?? (conversation.resolvedByKind === 'agent' ? conversation.resolvedById : null)
      const scheduledFor = DateTime.now().plus({ seconds: settings.delaySeconds })
      const inserted = await client.rawQuery(
        `INSERT INTO csat_surveys (provider_id, conversation_id, inbox_id, contact_id, agent_id, team_id,
           resolved_by_kind, status, scheduled_for, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, now(), now())
         ON CONFLICT (provider_id, conversation_id) DO NOTHING
         RETURNING id`,
        [
          conversation.providerId,
          conversation.id,
          conversation.inboxId,
          conversation.contactId,
          agentId,
          conversation.teamId,
          conversation.resolvedByKind,
          scheduledFor.toJSDate(),
        ] as any[] // nulls bind as SQL NULL
      )
      if (!inserted.rows.length) return { scheduled: false, reason: 'exists' }
      const surveyId = Number(inserted.rows[0].id)
      await outbox.add(client, {
        providerId: conversation.providerId,
        queue: CSAT_QUEUE,
        jobName: CSAT_JOBS.send,
        jobId: surveyJobId(conversation.id),
        payload: { providerId: conversation.providerId, surveyId, conversationId: conversation.id },
        delayMs: settings.delaySeconds * 1000,
      })
      return { scheduled: true, surveyId }
    })
  }

  /**
   * Call when a resolved conversation is reopened: a survey that has not gone out yet is cancelled
   * (the customer is being served again; asking for a rating now would be odd).
   */
  async onReopened(conversation: Conversation, trx?: TransactionClientContract) {
    return within(trx, async (client) => {
      const cancelled = await this.#cancelScheduled(client, conversation.providerId, {
        conversationId: conversation.id,
      })
      return { cancelled }
    })
  }

  /* ---------------------------------------------------------------------------------------------
   * Sending (the delayed job)
   * ------------------------------------------------------------------------------------------- */

  /** The `csat.send` job. Sends only a survey still `scheduled` whose conversation is still resolved. */
  async sendSurvey(surveyId: number): Promise<'sent' | 'skipped' | 'cancelled'> {
    return db.transaction(async (trx) => {
      const survey = await CsatSurvey.query({ client: trx }).where('id', surveyId).forUpdate().first()
      if (!survey || survey.status !== 'scheduled') return 'skipped'

      const conversation = await Conversation.query({ client: trx }).where('id', survey.conversationId).first()
      const settings = await this.settings(survey.providerId, trx)
      const newer = conversation
        ? await trx
            .from('conversations')
            .where({ provider_id: survey.providerId, inbox_id: survey.inboxId, contact_id: survey.contactId })
            .where('id', '>', survey.conversationId)
            .first()
        : null
      // Reopened, superseded by a newer conversation (the customer wrote first), or CSAT switched off.
      if (!conversation || conversation.status !== 'resolved' || newer || !settings.enabled) {
        survey.status = 'cancelled'
        await survey.useTransaction(trx).save()
        return 'cancelled'
      }

      const provider = await Provider.findOrFail(survey.providerId, { client: trx })
      const contact = await Contact.find(survey.contactId, { client: trx })
      const texts = settings.texts[localeOf(provider)]
      const text = render(texts.question, { company: provider.name, name: contact?.name ?? '' })
      await this.#queueText(trx, conversation, text, { csat: { surveyId: survey.id, part: 'question' } })

      const now = DateTime.now()
      survey.merge({ status: 'sent', sentAt: now, expiresAt: now.plus({ hours: settings.answerWindowHours }) })
      await survey.useTransaction(trx).save()
      await outbox.add(trx, {
        providerId: survey.providerId,
        queue: CSAT_QUEUE,
        jobName: CSAT_JOBS.expire,
        jobId: expiryJobId(survey.id),
        payload: { providerId: survey.providerId, surveyId: survey.id },
        delayMs: settings.answerWindowHours * 3_600_000,
      })
      await realtime.publish(
        {
          providerId: survey.providerId,
          audience: channels.supervision(survey.providerId),
          event: 'csat.sent',
          payload: { surveyId: survey.id, conversationId: survey.conversationId, sentAt: now.toISO() },
        },
        trx
      )
      return 'sent'
    })
  }

  /** The `csat.expire` job (the answer path checks expiry too, so a lost job changes nothing). */
  async expireSurvey(surveyId: number): Promise<boolean> {
    const updated = await db
      .from('csat_surveys')
      .where({ id: surveyId, status: 'sent' })
      .where('expires_at', '<=', new Date())
      .update({ status: 'expired', updated_at: new Date() })
    return Number(updated) > 0
  }

  /* ---------------------------------------------------------------------------------------------
   * Answers
   * ------------------------------------------------------------------------------------------- */

  /**
   * The ingest offers every customer message that found no active conversation here, before
   * opening a new one (inside its transaction when it has one). See CustomerMessageOutcome.
   */
  async handleCustomerMessage(
    input: CustomerMessageInput,
    trx?: TransactionClientContract
  ): Promise<CustomerMessageOutcome> {
    const latest = await CsatSurvey.query({ client: trx })
      .where({ providerId: input.providerId, inboxId: input.inboxId, contactId: input.contactId })
      .orderBy('id', 'desc')
      .first()
    if (!latest) return { kind: 'not_answer' }

    if (latest.status === 'scheduled') {
      await within(trx, (client) => this.#cancelScheduled(client, input.providerId, { surveyId: latest.id }))
      return { kind: 'not_answer' }
    }

    const settings = await this.settings(input.providerId, trx)
    const text = input.text?.trim() ?? ''

    if (latest.status === 'sent') {
      if (latest.expiresAt && latest.expiresAt <= DateTime.now()) {
        await within(trx, (client) =>
          client.from('csat_surveys').where({ id: latest.id, status: 'sent' }).update({ status: 'expired', updated_at: new Date() })
        )
        return { kind: 'not_answer' }
      }
      // Rules first, then the AI; the AI call happens before any row is locked.
      const reading = readCsatAnswer(text) ?? (await this.#classifyWithAi(input.providerId, text, trx))
      if (!reading) return { kind: 'not_answer' }
      return within(trx, (client) => this.#recordAnswer(client, latest.id, text, reading, settings))
    }

    if (latest.status === 'answered' && text && this.#awaitsFeedback(latest, settings)) {
      return within(trx, (client) => this.#recordFeedback(client, latest.id, text, settings))
    }
    return { kind: 'not_answer' }
  }

  #awaitsFeedback(survey: CsatSurvey, settings: CsatSettings) {
    return (
      settings.followUpEnabled &&
      survey.rating !== null &&
      survey.rating <= LOW_RATING &&
      survey.feedback === null &&
      survey.answeredAt !== null &&
      survey.answeredAt.plus({ hours: settings.answerWindowHours }) > DateTime.now()
    )
  }

  async #classifyWithAi(providerId: number, text: string, trx?: TransactionClientContract) {
    if (!this.#aiClassifier || !text) return null
    const provider = await Provider.findOrFail(providerId, { client: trx })
    try {
      const result = await this.#aiClassifier({ providerId, text, locale: localeOf(provider) })
      const rating = Number(result?.rating)
      if (!result || !Number.isInteger(rating) || rating < 1 || rating > 5) return null
      return { rating, source: 'ai' as const }
    } catch (error) {
      // An AI outage must not swallow the customer's message: treat it as "not an answer".
      currentLogger().warn({ err: error, provider_id: providerId }, 'csat: AI classification failed')
      return null
    }
  }

  async #recordAnswer(
    trx: TransactionClientContract,
    surveyId: number,
    text: string,
    reading: { rating: number; source: AnswerSource },
    settings: CsatSettings
  ): Promise<CustomerMessageOutcome> {
    const survey = await CsatSurvey.query({ client: trx }).where('id', surveyId).forUpdate().firstOrFail()
    if (survey.status !== 'sent') return { kind: 'not_answer' } // answered or expired meanwhile
    const now = DateTime.now()
    survey.merge({
      status: 'answered',
      rating: reading.rating,
      answerSource: reading.source,
      answerText: truncate(text, 2000),
      answeredAt: now,
    })
    await survey.useTransaction(trx).save()

    const conversation = await Conversation.query({ client: trx }).where('id', survey.conversationId).firstOrFail()
    const provider = await Provider.findOrFail(survey.providerId, { client: trx })
    const texts = settings.texts[localeOf(provider)]
    const askFollowUp = settings.followUpEnabled && reading.rating <= LOW_RATING
    await this.#queueText(trx, conversation, render(askFollowUp ? texts.followUp : texts.thanks, { company: provider.name }), {
      csat: { surveyId: survey.id, part: askFollowUp ? 'follow_up' : 'thanks' },
    })
    await realtime.publish(
      {
        providerId: survey.providerId,
        audience: channels.supervision(survey.providerId),
        event: 'csat.answered',
        payload: presentSurveyEvent(survey),
      },
      trx
    )
    return {
      kind: 'answer',
      conversationId: survey.conversationId,
      surveyId: survey.id,
      rating: reading.rating,
      source: reading.source,
    }
  }

  async #recordFeedback(
    trx: TransactionClientContract,
    surveyId: number,
    text: string,
    settings: CsatSettings
  ): Promise<CustomerMessageOutcome> {
    const survey = await CsatSurvey.query({ client: trx }).where('id', surveyId).forUpdate().firstOrFail()
    if (survey.feedback !== null) return { kind: 'not_answer' }
    survey.feedback = truncate(text, 4000)
    await survey.useTransaction(trx).save()
    const conversation = await Conversation.query({ client: trx }).where('id', survey.conversationId).firstOrFail()
    const provider = await Provider.findOrFail(survey.providerId, { client: trx })
    await this.#queueText(trx, conversation, render(settings.texts[localeOf(provider)].thanks, { company: provider.name }), {
      csat: { surveyId: survey.id, part: 'thanks' },
    })
    await realtime.publish(
      {
        providerId: survey.providerId,
        audience: channels.supervision(survey.providerId),
        event: 'csat.feedback',
        payload: presentSurveyEvent(survey),
      },
      trx
    )
    return { kind: 'feedback', conversationId: survey.conversationId, surveyId: survey.id }
  }

  /** Marks the matching scheduled survey cancelled and drops its delayed job after commit. */
  async #cancelScheduled(
    trx: TransactionClientContract,
    providerId: number,
    which: { surveyId?: number; conversationId?: number }
  ): Promise<boolean> {
    const query = trx.from('csat_surveys').where({ provider_id: providerId, status: 'scheduled' })
    if (which.surveyId) query.where('id', which.surveyId)
    if (which.conversationId) query.where('conversation_id', which.conversationId)
    const rows: { conversation_id: number }[] = await query
      .update({ status: 'cancelled', updated_at: new Date() })
      .returning(['conversation_id'])
    for (const row of rows) {
      // Tidiness only: the job would find the survey cancelled and do nothing anyway.
      trx.after('commit', () => void removeJob(surveyJobId(row.conversation_id)))
    }
    return rows.length > 0
  }

  /* ---------------------------------------------------------------------------------------------
   * Inactivity auto-resolve (the `csat.inactivity` repeatable job)
   * ------------------------------------------------------------------------------------------- */

  /** Resolves the provider's open/pending conversations idle longer than the setting. Returns how many. */
  async resolveInactive(providerId: number, now: Date = new Date()): Promise<number> {
    const settings = await this.settings(providerId)
    if (!settings.enabled || settings.inactivityMinutes <= 0) return 0
    const cutoff = new Date(now.getTime() - settings.inactivityMinutes * 60_000)
    const idle: { id: number }[] = await db
      .from('conversations')
      .select('id')
      .where('provider_id', providerId)
      .whereIn('status', ['open', 'pending'])
      .where('last_activity_at', '<', cutoff)
      .orderBy('last_activity_at')
      .limit(INACTIVITY_BATCH)
    let resolved = 0
    for (const { id } of idle) {
      const done = await db.transaction(async (trx) => {
        const conversation = await Conversation.query({ client: trx }).where({ id, providerId }).forUpdate().first()
        // Re-checked under the lock: a message or an agent may have touched it since the scan.
        if (!conversation || !['open', 'pending'].includes(conversation.status)) return false
        if (conversation.lastActivityAt.toJSDate() >= cutoff) return false
        if (this.#resolver) {
          await this.#resolver(conversation, trx)
        } else {
          await this.#resolveForInactivity(conversation, trx)
        }
        return true
      })
      if (done) resolved++
    }
    return resolved
  }

  /** Minimal resolution used until the conversation workflow service provides its own. */
  async #resolveForInactivity(conversation: Conversation, trx: TransactionClientContract) {
    const before = { status: conversation.status }
    conversation.merge({
      status: 'resolved',
      resolvedAt: DateTime.now(),
      resolvedByKind: 'inactivity',
      resolvedById: null,
      resolutionReason: 'inactivity',
    })
    await conversation.useTransaction(trx).save()
    await audit.record(
      {
        providerId: conversation.providerId,
        actorKind: 'system',
        action: 'conversation.resolved',
        targetType: 'conversation',
        targetId: conversation.id,
        before,
        after: { status: 'resolved', resolvedByKind: 'inactivity' },
      },
      trx
    )
    await realtime.publish(
      {
        providerId: conversation.providerId,
        audience: channels.supervision(conversation.providerId),
        event: 'conversation.resolved',
        payload: { id: conversation.id, status: 'resolved', resolvedByKind: 'inactivity' },
      },
      trx
    )
    await this.onResolved(conversation, trx)
  }

  /* ---------------------------------------------------------------------------------------------
   * Sending texts
   * ------------------------------------------------------------------------------------------- */

  async #queueText(
    trx: TransactionClientContract,
    conversation: Conversation,
    text: string,
    metadata: Record<string, unknown>
  ) {
    if (this.#sender) return this.#sender(trx, conversation, text, metadata)
    // The outbound pipeline's contract (DESIGN "Ingest"): an outbound row stored `queued`, then a
    // send job with a deterministic id written to the outbox in the same transaction.
    const message = await Message.create(
      {
        providerId: conversation.providerId,
        conversationId: conversation.id,
        inboxId: conversation.inboxId,
        direction: 'out',
        senderKind: 'system',
        type: 'text',
        content: text,
        private: false,
        status: 'queued',
        reactions: [],
        metadata,
      },
      { client: trx }
    )
    await outbox.add(trx, {
      providerId: conversation.providerId,
      queue: 'outbound',
      jobName: 'outbound.send',
      jobId: `outbound-${message.id}`,
      payload: { providerId: conversation.providerId, messageId: message.id },
    })
  }
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------------- */

function within<T>(trx: TransactionClientContract | undefined, work: (client: TransactionClientContract) => Promise<T>) {
  return trx ? work(trx) : db.transaction(work)
}

async function removeJob(jobId: string) {
  try {
    await queues.get(CSAT_QUEUE).remove(jobId)
  } catch (error) {
    currentLogger().warn({ err: error, job_id: jobId }, 'csat: could not remove a cancelled survey job')
  }
}

function localeOf(provider: Provider): CsatLocale {
  return (CSAT_LOCALES as readonly string[]).includes(provider.locale) ? (provider.locale as CsatLocale) : 'pt-BR'
}

/** Fills `{company}` and `{name}`; an empty name leaves no stray space before punctuation. */
export function render(template: string, values: Record<string, string>) {
  return template
    .replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole))
    .replace(/[ \t]+([!?.,])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim()
}

export function mergeSettings(base: CsatSettings, input: CsatSettingsInput): CsatSettings {
  const texts = {} as Record<CsatLocale, CsatTexts>
  for (const locale of CSAT_LOCALES) {
    const override = input.texts?.[locale] ?? {}
    texts[locale] = {
      question: override.question || base.texts[locale]?.question || DEFAULT_CSAT_TEXTS[locale].question,
      thanks: override.thanks || base.texts[locale]?.thanks || DEFAULT_CSAT_TEXTS[locale].thanks,
      followUp: override.followUp || base.texts[locale]?.followUp || DEFAULT_CSAT_TEXTS[locale].followUp,
    }
  }
  return {
    enabled: input.enabled ?? base.enabled,
    delaySeconds: input.delaySeconds ?? base.delaySeconds,
    answerWindowHours: input.answerWindowHours ?? base.answerWindowHours,
    followUpEnabled: input.followUpEnabled ?? base.followUpEnabled,
    inactivityMinutes: input.inactivityMinutes ?? base.inactivityMinutes,
    texts,
  }
}

function presentSurveyEvent(survey: CsatSurvey) {
  return {
    surveyId: survey.id,
    conversationId: survey.conversationId,
    inboxId: survey.inboxId,
    agentId: survey.agentId,
    teamId: survey.teamId,
    resolvedByKind: survey.resolvedByKind,
    rating: survey.rating,
    source: survey.answerSource,
    feedback: survey.feedback,
    answeredAt: survey.answeredAt?.toISO() ?? null,
  }
}

const csat = new CsatService()
export default csat
