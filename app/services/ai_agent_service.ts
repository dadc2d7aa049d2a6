import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import redis from '@adonisjs/redis/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Attachment from '#models/attachment'
import Contact from '#models/contact'
import Conversation, { type HandoverReason } from '#models/conversation'
import Message from '#models/message'
import Provider from '#models/provider'
import Team from '#models/team'
import type { ChatMessage } from '#plugins/sdk'
import { PluginError } from '#plugins/sdk'
import aiSettings, { type AiHandle } from '#services/ai_settings_service'
import assignment from '#services/assignment_service'
import audit from '#services/audit_service'
import conversations from '#services/conversation_service'
import { publishConversationEvent, routingOf } from '#services/conversation_events'
import handoverSettings from '#services/handover_settings_service'
import media from '#services/media_service'
import outbound from '#services/outbound_service'
import outbox from '#services/outbox_service'
import { currentLogger } from '#services/logging'
import { runAgentTurn, type AgentTurnResult } from '#services/ai/agent_turn'
import type { OutgoingPart, ToolAction } from '#services/ai/tool_executor'
import { describeOpening, isOpen, nextOpening } from '#services/ai/business_hours'

export const AI_QUEUE = 'ai' as const
export const AI_REPLY_JOB = 'ai.reply'
const HISTORY_LENGTH = 30
const LOCK_TTL_MS = 120_000

/** For the agent who receives the conversation: why the AI stopped. */
const FAILURE_TEXT = {
  ai_unavailable: 'o serviço de IA não respondeu',
  isp_unavailable: 'o sistema de gestão do provedor não respondeu',
  invented_data: 'a resposta citava dados de fatura que nenhuma consulta retornou, e não foi enviada',
  too_many_rounds: 'a IA não chegou a uma resposta',
} as const

/** Thrown when another reply of the same conversation is running: the job retries a little later. */
export class ConversationBusy extends Error {}

const POLITE_HANDOVER =
  'Vou te transferir para um atendente da nossa equipe, que vai continuar o seu atendimento. Só um instante, por favor.'

/**
 * The AI agent (DESIGN "AI provider plugins", issue 5): a debounced `ai.reply` job per conversation
 * reads the conversation, runs one agent turn over the provider's AI and ISP plugins, and then, in a
 * single transaction, stores the tool results as events for the agents, queues the replies through
 * the outbound pipeline and applies the hand-over or resolution. A job that dies before that commit
 * sent nothing; one that already answered a message never answers it again.
 */
export class AiAgentService {
  /** Ingest hook: a customer message in a conversation the AI may answer schedules (debounces) a reply. */
  async onCustomerMessage(conversation: Conversation, trx: TransactionClientContract) {
    const options = await aiSettings.aiOptions(conversation.providerId)
    if (!options.enabled) return
    await outbox.add(trx, {
      providerId: conversation.providerId,
      queue: AI_QUEUE,
      jobName: AI_REPLY_JOB,
      payload: { providerId: conversation.providerId, conversationId: conversation.id },
      delayMs: Math.round(options.debounceSeconds * 1000),
      debounce: { id: `ai-${conversation.id}` },
    })
  }

  /** The `ai.reply` job. */
  async reply(conversationId: number) {
    const lockKey = `niochat:ai-lock:${conversationId}`
    const token = `${process.pid}-${Date.now()}-${Math.random()}`
    if (!(await redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX'))) throw new ConversationBusy(`conversation ${conversationId} is being answered`)
    try {
      await this.#reply(conversationId)
    } finally {
      if ((await redis.get(lockKey)) === token) await redis.del(lockKey)
    }
  }

  async #reply(conversationId: number) {
    const conversation = await Conversation.find(conversationId)
    if (!conversation || !(await this.#mayAnswer(conversation))) return
    const provider = await Provider.findOrFail(conversation.providerId)
    const ai = await aiSettings.aiFor(provider.id)
    if (!ai) return

    const lastCustomer = await Message.query()
      .where({ providerId: provider.id, conversationId, senderKind: 'customer' })
      .orderBy('id', 'desc')
      .first()
    const answeredUpTo = Number((conversation.aiState as any)?.answeredMessageId ?? 0)
    if (!lastCustomer || lastCustomer.id <= answeredUpTo) return

    await this.#transcribeVoiceNotes(conversation, ai, answeredUpTo)
    const { history, earlierToolResults } = await this.#history(conversation)
    const contact = await Contact.find(conversation.contactId)
    const result = await runAgentTurn({
      provider,
      state: conversation.aiState ?? {},
      history,
      ai: { adapter: ai.adapter, ctx: ai.ctx, model: ai.model, temperature: ai.options.temperature },
      isp: await aiSettings.ispFor(provider.id),
      contactPhone: contact?.phone ?? null,
      earlierToolResults,
      maxToolRounds: ai.options.maxToolRounds,
    })
    const images = await this.#storeImages(provider.id, result.sends)
    await this.#apply(conversationId, provider, lastCustomer.id, result, images)
  }

  /** The AI only answers 1:1 conversations it holds, of providers that are not suspended. */
  async #mayAnswer(conversation: Conversation) {
    if (conversation.status !== 'bot' || conversation.isGroup) return false
    const provider = await Provider.find(conversation.providerId)
    return Boolean(provider && !provider.isSuspended)
  }

  /** Voice notes become text for the model; the transcript is stored with the message for agents too. */
  async #transcribeVoiceNotes(conversation: Conversation, ai: AiHandle, after: number) {
    if (!ai.adapter.transcribe) return
    const voices = await Message.query()
      .where({ providerId: conversation.providerId, conversationId: conversation.id, senderKind: 'customer' })
      .whereIn('type', ['voice', 'audio'])
      .where('id', '>', after)
      .preload('attachments')
    for (const message of voices) {
      if (message.metadata?.transcript) continue
      const attachment = message.attachments[0]
      if (!attachment) continue
      try {
        if (attachment.status !== 'ready') await media.download(attachment.id)
        const ready = await Attachment.findOrFail(attachment.id)
        if (ready.status !== 'ready' || !ready.storageKey) continue
        const data = Buffer.from(await drive.use().getBytes(ready.storageKey))
        const { text } = await ai.adapter.transcribe(
          { data, mime: ready.mime ?? 'audio/ogg', fileName: ready.fileName ?? 'voice.ogg' },
          ai.ctx
        )
        message.metadata = { ...(message.metadata ?? {}), transcript: text }
        await message.save()
      } catch (error) {
        if (!(error instanceof PluginError)) throw error
        currentLogger().warn({ message_id: message.id, code: error.code }, 'ai: transcription failed')
      }
    }
  }

  async #history(conversation: Conversation) {
    const rows = await Message.query()
      .where({ providerId: conversation.providerId, conversationId: conversation.id })
      .whereNull('deletedAt')
      .orderBy('id', 'desc')
      .limit(HISTORY_LENGTH * 2)
    const earlierToolResults = rows.filter((row) => row.metadata?.toolResult).map((row) => row.metadata.toolResult)
    const history: ChatMessage[] = []
    for (const row of rows.reverse()) {
      if (row.private || row.type === 'event') continue
      const text = row.metadata?.transcript
        ? `[áudio transcrito] ${row.metadata.transcript}`
        : row.content?.trim() || (row.type === 'text' ? '' : `[${row.type}]`)
      if (!text) continue
      history.push(row.senderKind === 'customer' ? { role: 'user', content: text } : { role: 'assistant', content: text })
    }
    return { history: history.slice(-HISTORY_LENGTH), earlierToolResults }
  }

  /** QR images become attachments before the transaction (files cannot roll back; an orphan is harmless). */
  async #storeImages(providerId: number, sends: OutgoingPart[]) {
    const ids = new Map<OutgoingPart, number>()
    const images = sends.filter((part) => part.kind === 'image') as Extract<OutgoingPart, { kind: 'image' }>[]
    if (!images.length) return ids
    const dir = await mkdtemp(join(tmpdir(), 'niochat-ai-'))
    try {
      for (const image of images) {
        const path = join(dir, image.fileName)
        await writeFile(path, image.data)
        const attachment = await media.upload(providerId, null, { path, fileName: image.fileName })
        ids.set(image, attachment.id)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return ids
  }

  async #apply(conversationId: number, provider: Provider, answeredMessageId: number, result: AgentTurnResult, images: Map<OutgoingPart, number>) {
    await db.transaction(async (trx) => {
      const conversation = await Conversation.query({ client: trx }).where('id', conversationId).forUpdate().firstOrFail()
      // A human took it (or it was resolved) while the model was thinking: their turn now.
      if (conversation.status !== 'bot') return

      for (const event of result.toolEvents) {
        await outbound.queue(trx, conversation, {
          senderKind: 'system',
          type: 'event',
          private: true,
          content: event.summary,
          metadata: { tool: event.tool, toolResult: event.result },
        })
      }
      // On a failure `sends` holds only what tools produced (an invoice already fetched still goes out);
      // the model's own reply is never among them.
      for (const part of result.sends) await this.#queuePart(trx, conversation, part, images)

      conversation.merge({
        aiState: { ...result.state, answeredMessageId } as any,
        aiPromptTokens: conversation.aiPromptTokens + result.usage.promptTokens,
        aiCompletionTokens: conversation.aiCompletionTokens + result.usage.completionTokens,
        aiTurns: conversation.aiTurns + 1,
      })
      await conversation.useTransaction(trx).save()

      if (result.failure) {
        const reason: HandoverReason = result.failure.kind === 'isp_unavailable' ? result.failure.reason : 'general'
        currentLogger().warn({ conversation_id: conversation.id, failure: result.failure.kind, detail: result.failure.detail }, 'ai: handing over after a failure')
        await outbound.queue(trx, conversation, { senderKind: 'ai', content: await this.#handoverText(provider) })
        await this.#handOver(trx, conversation, provider, reason, `A IA não concluiu o atendimento: ${FAILURE_TEXT[result.failure.kind]} [${result.failure.kind}: ${result.failure.detail}].`)
      } else if (result.action) {
        await this.#act(trx, conversation, provider, result.action)
      }
    })
  }

  async #queuePart(trx: TransactionClientContract, conversation: Conversation, part: OutgoingPart, images: Map<OutgoingPart, number>) {
    if (part.kind === 'text') {
      await outbound.queue(trx, conversation, { senderKind: 'ai', content: part.text })
    } else if (part.kind === 'image') {
      const id = images.get(part)
      if (id) await outbound.queue(trx, conversation, { senderKind: 'ai', content: part.caption ?? null, attachmentIds: [id] })
    } else {
      await outbound.queue(trx, conversation, { senderKind: 'ai', content: `${part.caption ?? 'Boleto em PDF'}: ${part.url}` })
    }
  }

  async #act(trx: TransactionClientContract, conversation: Conversation, provider: Provider, action: ToolAction) {
    if (action.kind === 'resolve') {
      await conversations.resolveLocked(conversation, trx, { kind: 'ai', reason: action.reason ?? null })
    } else {
      await this.#handOver(trx, conversation, provider, action.reason, action.summary)
    }
  }

  /** Out of the AI's hands: pending for the reason's team, with a summary for the agent. */
  async #handOver(trx: TransactionClientContract, conversation: Conversation, provider: Provider, reason: HandoverReason, summary: string) {
    const before = routingOf(conversation)
    const mapped = await handoverSettings.teamFor(provider.id, reason)
    const team = mapped ? await Team.query({ client: trx }).where({ providerId: provider.id, id: mapped }).first() : null
    conversation.merge({
      status: 'pending',
      assigneeId: null,
      teamId: team?.id ?? conversation.teamId,
      handoverReason: reason,
      handoverSummary: summary,
      handedOverAt: conversation.handedOverAt ?? DateTime.now(),
      transferCount: conversation.transferCount + 1,
    })
    await conversation.useTransaction(trx).save()
    await outbound.queue(trx, conversation, { senderKind: 'system', type: 'event', private: true, content: `Transferido pela IA (${reason}): ${summary}`, metadata: { handover: { reason, summary } } })
    await audit.record(
      { providerId: provider.id, actorKind: 'ai', action: 'conversation.handed_over', targetType: 'conversation', targetId: conversation.id, before: { ...before }, after: { status: 'pending', teamId: conversation.teamId, reason } },
      trx
    )
    await publishConversationEvent(conversation, 'conversation.updated', trx, { before, extra: { action: 'conversation.handed_over' } })
    if (conversation.teamId) await assignment.autoAssign(conversation, trx)
  }

  async #handoverText(provider: Provider) {
    const open = isOpen(provider.businessHours ?? {}, provider.timezone)
    if (open) return POLITE_HANDOVER
    const opening = nextOpening(provider.businessHours ?? {}, provider.timezone)
    return opening
      ? `Nossa equipe está fora do horário de atendimento agora e volta ${describeOpening(opening)}. Sua conversa já está na fila e um atendente vai te responder assim que possível.`
      : POLITE_HANDOVER
  }
}

const aiAgent = new AiAgentService()
export default aiAgent
