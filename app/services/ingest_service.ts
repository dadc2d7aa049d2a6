import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Conversation from '#models/conversation'
import type Inbox from '#models/inbox'
import Message from '#models/message'
import Provider from '#models/provider'
import { channels } from '#realtime/channels'
import {
  MalformedPayloadError,
  type ChannelAdapter,
  type ChannelEvent,
  type ContactAddress,
  type InboundMessage,
  type InboxContext,
} from '#plugins/sdk'
import { publishConversationEvent, publishMessageEvent } from '#services/conversation_events'
import csat from '#services/csat_service'
import inboxes from '#services/inbox_service'
import { currentLogger } from '#services/logging'
import outbox from '#services/outbox_service'
import typing from '#services/typing_service'
import { identitiesOf } from '#services/contact_identities'
import realtime from '#services/realtime_service'
import { presentMessage } from '#transformers/message_presenter'
import { truncate } from '#services/text'

export interface WebhookCall {
  pluginId: string
  webhookKey: string
  suffix?: string
  headers: Record<string, string | string[] | undefined>
  body: unknown
  rawBody?: string
  query: Record<string, unknown>
}

export interface WebhookAnswer {
  status: number
  body: Record<string, unknown>
}

/** What the AI (or any follow-up) learns about a stored customer message, inside its transaction. */
export interface CustomerMessageStored {
  provider: Provider
  inbox: Inbox
  conversation: Conversation
  message: Message
  /** False for groups (unless the inbox enables them), suspended providers and non-bot conversations. */
  answerable: boolean
}
export type CustomerMessageListener = (stored: CustomerMessageStored, trx: TransactionClientContract) => Promise<unknown>

/** How long an echo or ack waits for a send in flight to record its provider id. */
export const ECHO_HOLD_MS = 4_000
const HOLD_STEP_MS = 100

const STATUS_RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 }

class DuplicateMessage extends Error {}

/* ------------------------------------------------------------------------------------------------
 * Normalized events are checked before they reach SQL: nothing in a payload may cause a 5xx.
 * ---------------------------------------------------------------------------------------------- */

const clean = (value: string | undefined | null, max: number) =>
  value === undefined || value === null ? null : value.replace(/\u0000/g, '').slice(0, max)

function requireId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value || value.length > 200) {
    throw new MalformedPayloadError(`${what} must be a non-empty id of at most 200 characters`)
  }
  return value.replace(/\u0000/g, '')
}

/** Strips NUL characters (PostgreSQL refuses them in text and jsonb) from any JSON-like value. */
function scrub<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u0000/g, '') as T
  if (Array.isArray(value)) return value.map(scrub) as T
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/\u0000/g, ''), scrub(v)])) as T
  }
  return value
}

/** A group is one contact, identified on the channel of its members (Telegram group ids are negative). */
function groupIdentityOf(member: ContactAddress, chatId: string, pluginId: string) {
  if (member.kind === 'whatsapp' || member.kind === 'telegram') return { kind: member.kind, value: chatId }
  return { kind: 'other', value: `${pluginId}:group:${chatId}` }
}

const phoneOf = (address?: ContactAddress) =>
  address?.kind === 'whatsapp' || address?.kind === 'other' || address?.kind === 'telegram' ? address.phone : undefined

function previewOf(message: { kind: string; text?: string | null }) {
  const text = message.text?.trim()
  if (text) return truncate(text, 200)
  return `[${message.kind}]`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The ingest pipeline of DESIGN "Conversation lifecycle": verify → parse → upsert contact → find or
 * open the conversation → insert the message (idempotent on the provider's id) → domain events and
 * follow-up jobs (outbox) in the same transaction → commit. The webhook is answered only after the
 * commit, so a 2xx always means stored.
 */
export class IngestService {
  #customerListeners = new Set<CustomerMessageListener>()

  /** Follow-ups of a customer message (the AI reply, transcription) hook in here; runs in the transaction. */
  onCustomerMessage(listener: CustomerMessageListener) {
    this.#customerListeners.add(listener)
    return () => this.#customerListeners.delete(listener)
  }

  async receiveWebhook(call: WebhookCall): Promise<WebhookAnswer> {
    const inbox = await inboxes.findByWebhookKey(call.webhookKey)
    if (!inbox || inbox.pluginId !== call.pluginId) return { status: 404, body: { errors: [{ message: 'Unknown webhook' }] } }
    let adapter: ChannelAdapter
    try {
      adapter = inboxes.adapterOf(inbox)
    } catch {
      return { status: 404, body: { errors: [{ message: 'Unknown webhook' }] } }
    }
    const ctx = inboxes.contextFor(inbox)
    const request = { headers: call.headers, body: call.body, rawBody: call.rawBody, query: call.query, suffix: call.suffix }
    const malformed = (reason: string) => {
      ctx.logger.warn({ reason }, 'webhook: malformed body refused')
      const status = adapter.malformedStatus ?? 400
      return { status, body: status < 300 ? { ignored: true } : { errors: [{ message: `Malformed webhook: ${reason}` }] } }
    }

    let events: ChannelEvent[]
    try {
      if (adapter.verifyWebhook && !adapter.verifyWebhook(request, ctx)) {
        ctx.logger.warn({}, 'webhook: verification failed')
        return { status: 401, body: { errors: [{ message: 'Webhook verification failed' }] } }
      }
      events = adapter.parseWebhook ? adapter.parseWebhook(request, ctx) : []
    } catch (error) {
      // A plugin that trips over a payload must not turn it into a 5xx the provider retries forever.
      if (!(error instanceof MalformedPayloadError)) ctx.logger.error({ err: error }, 'webhook: the plugin failed to parse a body')
      return malformed((error as Error).message)
    }
    if (!events.length) return { status: 200, body: { received: 0 } }

    const provider = await inboxes.providerOf(inbox)
    let handled = 0
    for (const event of events) {
      try {
        await this.handleEvent(provider, inbox, ctx, event)
        handled++
      } catch (error) {
        if (error instanceof MalformedPayloadError) return malformed(error.message)
        throw error
      }
    }
    return { status: 200, body: { received: handled } }
  }

  /** One normalized event; also the sink of pull channels (`start(inbox, sink)`). */
  async handleEvent(provider: Provider, inbox: Inbox, ctx: InboxContext, event: ChannelEvent) {
    switch (event.type) {
      case 'message.received':
        return this.storeMessage(provider, inbox, event.message, { senderKind: 'customer' })
      case 'message.echo':
        return this.#echo(provider, inbox, event)
      case 'message.reaction':
        return this.#reaction(inbox, event)
      case 'message.deleted':
        return this.#update(inbox, requireId(event.targetExternalId, 'targetExternalId'), () => {}, 'deleted')
      case 'message.edited':
        return this.#update(inbox, requireId(event.targetExternalId, 'targetExternalId'), (m) => {
          m.metadata = { ...(m.metadata ?? {}), previousContent: m.content }
          m.content = clean(event.text, 65_536)
        }, 'edited')
      case 'message.status':
        return this.#status(inbox, event)
      case 'channel.status':
        return this.#channelStatus(inbox, event)
      case 'typing':
        return typing.fromCustomer(inbox, event.from, event.on)
      default:
        ctx.logger.info({ event: (event as any)?.type }, 'webhook: event type ignored')
    }
  }

  /**
   * Stores one inbound message (a customer's, or an agent's typed on the business phone) exactly once.
   * Returns the stored message, or null when it was already stored.
   */
  async storeMessage(
    provider: Provider,
    inbox: Inbox,
    raw: InboundMessage,
    options: { senderKind: 'customer' | 'agent' }
  ): Promise<Message | null> {
    const message = scrub(raw)
    const externalId = requireId(message.externalId, 'externalId')
    const identities = identitiesOf(message.from, inbox.pluginId)
    const chatId = message.chat?.isGroup ? requireId(message.chat.id, 'chat.id') : null
    const sentAt = message.sentAt instanceof Date && !Number.isNaN(message.sentAt.getTime()) ? message.sentAt : new Date()

    // Redeliveries are the common duplicate: answer them without opening a transaction.
    const known = await db
      .from('messages')
      .where({ provider_id: inbox.providerId, inbox_id: inbox.id, external_id: externalId })
      .select('id')
      .first()
    if (known) return null

    try {
      return await db.transaction(async (trx) => {
        // One contact at a time per address: concurrent deliveries of a new customer's first messages
        // cannot create two contacts or two conversations.
        const lockKey = chatId ? `${inbox.providerId}:chat:${chatId}` : `${inbox.providerId}:${identities[0].kind}:${identities[0].value}`
        await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtext(?))', [lockKey])

        const contactId = chatId
          ? await this.#upsertContact(trx, inbox.providerId, [groupIdentityOf(message.from, chatId, inbox.pluginId)], message.chat?.name)
          : await this.#upsertContact(trx, inbox.providerId, identities, message.from.name, message.from)

        const customer = options.senderKind === 'customer'
        let conversation = await Conversation.query({ client: trx })
          .where({ providerId: inbox.providerId, inboxId: inbox.id, contactId })
          .whereRaw("coalesce(chat_id, '') = ?", [chatId ?? ''])
          .whereNot('status', 'resolved')
          .forUpdate()
          .first()
        let opened = false
        let csatAnswer = false

        if (!conversation && customer && !chatId) {
          const outcome = await csat.handleCustomerMessage(
            { providerId: inbox.providerId, inboxId: inbox.id, contactId, text: message.text ?? null },
            trx
          )
          if (outcome.kind !== 'not_answer') {
            conversation = await Conversation.query({ client: trx }).where('id', outcome.conversationId).firstOrFail()
            csatAnswer = true
          }
        }
        if (!conversation) {
          conversation = await this.#open(trx, provider, inbox, contactId, chatId, customer)
          opened = true
        }

        const row = await this.#insertMessage(trx, inbox, conversation, message, externalId, sentAt, options.senderKind)
        if (!row) throw new DuplicateMessage()

        const before = { status: conversation.status, assigneeId: conversation.assigneeId, teamId: conversation.teamId }
        conversation.useTransaction(trx)
        if (!csatAnswer) {
          conversation.lastActivityAt = row.createdAt
          conversation.lastMessagePreview = previewOf(message)
          if (customer) {
            conversation.unreadCount = (conversation.unreadCount ?? 0) + 1
            // A snoozed conversation comes back to the lists as soon as the customer writes again.
            conversation.snoozedUntil = null
            conversation.firstCustomerMessageAt = conversation.firstCustomerMessageAt ?? row.createdAt
          } else {
            // Someone typed on the business phone: a human is on it, the AI stops.
            conversation.hadHuman = true
            conversation.firstResponseAt = conversation.firstResponseAt ?? row.createdAt
            conversation.firstHumanResponseAt = conversation.firstHumanResponseAt ?? row.createdAt
            if (conversation.status === 'bot') conversation.status = 'pending'
          }
          await conversation.save()
        }

        if (message.media) {
          const attachment = await trx
            .insertQuery()
            .table('attachments')
            .insert({
              provider_id: inbox.providerId,
              message_id: row.id,
              kind: message.kind,
              mime: clean(message.media.mime, 120),
              file_name: clean(message.media.fileName, 255),
              size: Number.isFinite(message.media.size) ? message.media.size : null,
              duration_ms: Number.isFinite(message.media.durationSeconds) ? Math.round(message.media.durationSeconds! * 1000) : null,
              status: 'pending',
              source: JSON.stringify(message.media),
            })
            .returning('id')
          const attachmentId = Number((attachment[0] as any).id ?? attachment[0])
          await outbox.add(trx, {
            providerId: inbox.providerId,
            queue: 'media',
            jobName: 'media.download',
            jobId: `media-download-${attachmentId}`,
            payload: { providerId: inbox.providerId, attachmentId },
          })
        }

        if (opened) await publishConversationEvent(conversation, 'conversation.created', trx)
        else if (before.status !== conversation.status) {
          await publishConversationEvent(conversation, 'conversation.updated', trx, { before })
        }
        await publishMessageEvent(conversation, row, 'message.created', trx)

        if (customer && !csatAnswer) {
          const answerable =
            !provider.isSuspended && conversation.status === 'bot' && (!chatId || inbox.enableGroups) && !message.automated
          for (const listener of this.#customerListeners) {
            await listener({ provider, inbox, conversation, message: row, answerable }, trx)
          }
        }
        return row
      })
    } catch (error) {
      if (error instanceof DuplicateMessage) return null
      throw error
    }
  }

  async #upsertContact(
    trx: TransactionClientContract,
    providerId: number,
    identities: { kind: string; value: string }[],
    name?: string,
    address?: ContactAddress
  ): Promise<number> {
    const found = await trx
      .from('contact_identities')
      .where('provider_id', providerId)
      .where((q) => {
        for (const identity of identities) q.orWhere({ kind: identity.kind, value: identity.value })
      })
      .select('contact_id', 'kind')
    let contactId: number
    if (found.length) {
      // The phone identity wins when a phone and a LID point at different contacts.
      const preferred = found.find((row) => row.kind === 'whatsapp') ?? found[0]
      contactId = Number(preferred.contact_id)
      // The customer is active now: one statement records it and reads what may need filling in.
      const touched = await trx.rawQuery('UPDATE contacts SET last_activity_at = now() WHERE id = ? RETURNING merged_into_id, name, phone', [
        contactId,
      ])
      let contact = touched.rows[0] as { merged_into_id: number | null; name: string | null; phone: string | null } | undefined
      const patch: Record<string, unknown> = {}
      if (contact?.merged_into_id) {
        contactId = Number(contact.merged_into_id)
        contact = await trx.from('contacts').where('id', contactId).select('merged_into_id', 'name', 'phone').first()
        patch.last_activity_at = new Date()
      }
      if (!contact?.name && name) patch.name = clean(name, 200)
      const phone = phoneOf(address)
      if (!contact?.phone && phone) patch.phone = clean(phone, 32)
      if (Object.keys(patch).length) await trx.from('contacts').where('id', contactId).update(patch)
    } else {
      const phone = phoneOf(address)
      const email = address?.kind === 'email' ? address.address : undefined
      const [row] = await trx
        .insertQuery()
        .table('contacts')
        .insert({
          provider_id: providerId,
          name: clean(name, 200),
          phone: clean(phone, 32),
          email: clean(email, 254),
          custom_attributes: '{}',
          last_activity_at: new Date(),
        })
        .returning('id')
      contactId = Number((row as any).id ?? row)
    }
    const missing = identities.filter((identity) => !found.some((row) => row.kind === identity.kind))
    for (const identity of missing) {
      await trx.rawQuery(
        `INSERT INTO contact_identities (provider_id, contact_id, kind, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (provider_id, kind, value) DO NOTHING`,
        [providerId, contactId, identity.kind, identity.value]
      )
    }
    return contactId
  }

  async #open(
    trx: TransactionClientContract,
    provider: Provider,
    inbox: Inbox,
    contactId: number,
    chatId: string | null,
    customer: boolean
  ): Promise<Conversation> {
    // The AI answers first when it is enabled; group chats only when the inbox allows them.
    let status: Conversation['status'] = 'pending'
    if (customer && (!chatId || inbox.enableGroups)) {
      const ai = await trx.from('provider_settings').where({ provider_id: provider.id, kind: 'ai' }).select('enabled').first()
      if (ai?.enabled) status = 'bot'
    }
    const result = await trx.rawQuery(
      `INSERT INTO conversations (provider_id, inbox_id, contact_id, chat_id, is_group, status, team_id, last_activity_at,
         had_human, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, now(), now())
       ON CONFLICT (provider_id, inbox_id, contact_id, coalesce(chat_id, '')) WHERE status <> 'resolved' DO NOTHING
       RETURNING *`,
      [provider.id, inbox.id, contactId, chatId, Boolean(chatId), status, inbox.defaultTeamId, !customer] as any[]
    )
    const opened = result.rows[0] ? Conversation.$createFromAdapterResult(result.rows[0], {}, { client: trx }) : null
    if (opened) return opened
    return Conversation.query({ client: trx })
      .where({ providerId: provider.id, inboxId: inbox.id, contactId })
      .whereRaw("coalesce(chat_id, '') = ?", [chatId ?? ''])
      .whereNot('status', 'resolved')
      .firstOrFail()
  }

  async #insertMessage(
    trx: TransactionClientContract,
    inbox: Inbox,
    conversation: Conversation,
    message: InboundMessage,
    externalId: string,
    sentAt: Date,
    senderKind: 'customer' | 'agent'
  ): Promise<Message | null> {
    const metadata: Record<string, unknown> = {}
    if (message.location) metadata.location = message.location
    if (message.contacts) metadata.contacts = message.contacts
    if (message.participant) metadata.participant = message.participant
    if (message.thread) metadata.thread = message.thread
    if (message.automated) metadata.automated = true
    if (senderKind === 'agent') metadata.typedOnPhone = true
    let content = clean(message.text, 65_536)
    if (message.kind === 'unsupported') {
      metadata.unsupported = content ?? 'unknown'
      content = `unsupported message: ${content ?? 'unknown'}`
    }
    const quoted = message.quotedExternalId ? clean(message.quotedExternalId, 200) : null
    const result = await trx.rawQuery(
      `INSERT INTO messages (provider_id, conversation_id, inbox_id, direction, sender_kind, sender_name, type, content,
         external_id, quoted_external_id, quoted_message_id, status, reactions, metadata, sent_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         (SELECT id FROM messages WHERE provider_id = ? AND inbox_id = ? AND external_id = ? LIMIT 1),
         ?, '[]', ?::jsonb, ?, now(), now())
       ON CONFLICT (provider_id, inbox_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        inbox.providerId,
        conversation.id,
        inbox.id,
        senderKind === 'customer' ? 'in' : 'out',
        senderKind,
        clean(message.participant?.name ?? (senderKind === 'customer' ? message.from.name : undefined), 200),
        message.kind,
        content,
        externalId,
        quoted,
        inbox.providerId,
        inbox.id,
        quoted,
        senderKind === 'customer' ? 'received' : 'sent',
        JSON.stringify(metadata),
        sentAt,
      ] as any[]
    )
    const row = result.rows[0]
    if (!row) return null
    return Message.$createFromAdapterResult(row)!
  }

  /** Our own send coming back, or a message typed on the business phone. */
  async #echo(provider: Provider, inbox: Inbox, event: Extract<ChannelEvent, { type: 'message.echo' }>) {
    const externalId = requireId(event.externalId, 'externalId')
    if (event.trackId && /^\d{1,18}$/.test(event.trackId)) {
      const ours = await Message.query()
        .where({ providerId: inbox.providerId, inboxId: inbox.id, id: Number(event.trackId), direction: 'out' })
        .first()
      if (ours) return this.#confirmSend(inbox, ours, externalId)
    }
    const matched = await this.#awaitSent(inbox, externalId)
    if (matched) return this.#confirmSend(inbox, matched, externalId)
    if (!event.message) return
    if (!event.typedOnPhone) currentLogger().info({ inbox_id: inbox.id }, 'echo of a send we do not know: stored as an agent message')
    const stored = await this.storeMessage(provider, inbox, { ...event.message, externalId }, { senderKind: 'agent' })
    if (stored && !stored.metadata?.echo) {
      await db.rawQuery(`UPDATE messages SET metadata = metadata || '{"echo": true}'::jsonb WHERE id = ?`, [stored.id])
    }
  }

  /**
   * The message with this provider id, waiting a moment when one of this inbox's sends is still in
   * flight: the provider may echo (or ack) a message before our send call has returned its id.
   */
  async #awaitSent(inbox: Inbox, externalId: string): Promise<Message | null> {
    const deadline = Date.now() + ECHO_HOLD_MS
    for (;;) {
      const found = await Message.query().where({ providerId: inbox.providerId, inboxId: inbox.id, externalId }).first()
      if (found) return found
      const inFlight = await db
        .from('messages')
        .where({ provider_id: inbox.providerId, inbox_id: inbox.id, direction: 'out', status: 'sending' })
        .whereNull('external_id')
        .select('id')
        .first()
      if (!inFlight || Date.now() >= deadline) return null
      await sleep(HOLD_STEP_MS)
    }
  }

  async #confirmSend(inbox: Inbox, message: Message, externalId: string) {
    if (message.direction !== 'out') return
    await db.transaction(async (trx) => {
      const locked = await Message.query({ client: trx }).where('id', message.id).forUpdate().firstOrFail()
      if (!locked.externalId) locked.externalId = externalId
      if ((STATUS_RANK[locked.status] ?? 9) < STATUS_RANK.sent) {
        locked.status = 'sent'
        locked.error = null
      }
      if (!locked.$isDirty) return
      await locked.save()
      await this.#publishUpdate(trx, inbox, locked)
    })
  }

  async #reaction(inbox: Inbox, event: Extract<ChannelEvent, { type: 'message.reaction' }>) {
    if (event.fromMe) return // our own reactions are recorded when an agent sends them
    const emoji = typeof event.emoji === 'string' && event.emoji ? clean(event.emoji, 32) : null
    await this.#update(inbox, requireId(event.targetExternalId, 'targetExternalId'), (m) => {
      const others = (m.reactions ?? []).filter((r) => r.by !== 'customer')
      m.reactions = emoji ? [...others, { emoji, by: 'customer', at: new Date().toISOString() }] : others
    }, 'reaction')
  }

  async #status(inbox: Inbox, event: Extract<ChannelEvent, { type: 'message.status' }>) {
    const externalId = requireId(event.externalId, 'externalId')
    const target = await this.#awaitSent(inbox, externalId)
    if (!target || target.direction !== 'out') return
    await this.#update(inbox, externalId, (m) => {
      if (event.status === 'failed') {
        if ((STATUS_RANK[m.status] ?? 0) < STATUS_RANK.delivered) {
          m.status = 'failed'
          m.error = 'The channel reported the message as failed'
        }
      } else if ((STATUS_RANK[m.status] ?? -1) < STATUS_RANK[event.status] || m.status === 'failed') {
        m.status = event.status
        m.error = null
      }
    }, 'status')
  }

  /** Loads a message by provider id under a row lock, applies a change, publishes it when anything changed. */
  async #update(inbox: Inbox, externalId: string, change: (message: Message) => void, what: string) {
    await db.transaction(async (trx) => {
      const message = await Message.query({ client: trx })
        .where({ providerId: inbox.providerId, inboxId: inbox.id, externalId })
        .forUpdate()
        .first()
      if (!message) {
        currentLogger().info({ inbox_id: inbox.id, what }, 'webhook: update for a message we do not have, ignored')
        return
      }
      if (what === 'deleted') {
        if (message.deletedAt) return
        message.deletedAt = DateTime.now()
      } else {
        change(message)
      }
      if (!message.$isDirty) return
      await message.useTransaction(trx).save()
      await this.#publishUpdate(trx, inbox, message)
    })
  }

  async #publishUpdate(trx: TransactionClientContract, inbox: Inbox, message: Message) {
    await realtime.publish(
      {
        providerId: inbox.providerId,
        audience: channels.conversation(inbox.providerId, message.conversationId),
        event: 'message.updated',
        payload: { message: presentMessage(message) },
      },
      trx
    )
  }

  async #channelStatus(inbox: Inbox, event: Extract<ChannelEvent, { type: 'channel.status' }>) {
    const status = (['connected', 'disconnected', 'qr'] as const).includes(event.status) ? event.status : 'unknown'
    const detail = clean(event.detail, 2000)
    await db.transaction(async (trx) => {
      await inboxes.setStatus(inbox, status, detail, trx)
      await realtime.publish(
        {
          providerId: inbox.providerId,
          audience: channels.supervision(inbox.providerId),
          event: 'inbox.status',
          payload: { inboxId: inbox.id, status, detail },
        },
        trx
      )
    })
  }
}

const ingest = new IngestService()
export default ingest
