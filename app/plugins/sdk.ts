/**
 * The plugin SDK: the only module of NioChat that a plugin may import. Everything a plugin needs from
 * the host (logger, its config, a place to keep state, the event sink) reaches it through these types,
 * never through models, services or the AdonisJS container.
 *
 * Bump SDK_VERSION's major when a change here breaks existing plugins; plugins declare the range they
 * were written for in `sdk` and the loader refuses a mismatch.
 */
import type { Readable } from 'node:stream'
import type { DependencyContainer } from 'tsyringe'

export const SDK_VERSION = '1.0.0'

export type PluginKind = 'channel' | 'ai' | 'isp'

/* ------------------------------------------------------------------------------------------------
 * Config schemas: one declaration gives both the validation and the admin UI's generated form.
 * ---------------------------------------------------------------------------------------------- */

export interface ConfigFieldBase {
  label: string
  /** Help text shown under the field in the admin form. */
  help?: string
  required?: boolean
  /** Stored encrypted, masked in every API answer, never logged, never given to the AI. */
  secret?: boolean
  placeholder?: string
}

export type ConfigField =
  | (ConfigFieldBase & { type: 'string'; default?: string; maxLength?: number; pattern?: string })
  | (ConfigFieldBase & { type: 'url'; default?: string })
  | (ConfigFieldBase & { type: 'number'; default?: number; min?: number; max?: number })
  | (ConfigFieldBase & { type: 'boolean'; default?: boolean })
  | (ConfigFieldBase & { type: 'select'; options: { value: string; label: string }[]; default?: string })

export type ConfigSchema = Record<string, ConfigField>

/** Helpers so a plugin writes `fields.url({ label: 'Base URL' })` instead of raw objects. */
export const fields = {
  string: (o: Omit<Extract<ConfigField, { type: 'string' }>, 'type'>): ConfigField => ({ type: 'string', ...o }),
  url: (o: Omit<Extract<ConfigField, { type: 'url' }>, 'type'>): ConfigField => ({ type: 'url', ...o }),
  number: (o: Omit<Extract<ConfigField, { type: 'number' }>, 'type'>): ConfigField => ({ type: 'number', ...o }),
  boolean: (o: Omit<Extract<ConfigField, { type: 'boolean' }>, 'type'>): ConfigField => ({ type: 'boolean', ...o }),
  select: (o: Omit<Extract<ConfigField, { type: 'select' }>, 'type'>): ConfigField => ({ type: 'select', ...o }),
  secret: (o: Omit<Extract<ConfigField, { type: 'string' }>, 'type' | 'secret'>): ConfigField => ({
    type: 'string',
    secret: true,
    ...o,
  }),
}

/* ------------------------------------------------------------------------------------------------
 * What the host gives every plugin call.
 * ---------------------------------------------------------------------------------------------- */

export interface PluginLogger {
  debug(obj: object | string, msg?: string): void
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
}

/** The per-tenant instance a call is about: an inbox for channels, the provider's setting for AI/ISP. */
export interface InstanceContext<Config = Record<string, any>> {
  providerId: number
  /** Decrypted config, validated against the plugin's schema. */
  config: Config
  logger: PluginLogger
}

export interface InboxContext<Config = Record<string, any>> extends InstanceContext<Config> {
  inboxId: number
  /** Our public URL for this inbox's webhooks (built from APP_URL). */
  webhookUrl: string
  /** Small plugin-owned state kept on the inbox (cursors such as the last IMAP UID). */
  state: Record<string, unknown>
  saveState(patch: Record<string, unknown>): Promise<void>
  enableGroups: boolean
}

/* ------------------------------------------------------------------------------------------------
 * Channel plugins
 * ---------------------------------------------------------------------------------------------- */

export type ContactAddress =
  | { kind: 'whatsapp'; phone?: string; lid?: string; name?: string }
  /** `phone` only when the customer shared their own contact (Telegram never gives it otherwise). */
  | { kind: 'telegram'; userId: string; username?: string; name?: string; phone?: string }
  | { kind: 'email'; address: string; name?: string }
  | { kind: 'simulator'; sessionId: string; name?: string }
  /**
   * Any other channel: `id` is the customer's id on that channel (unique per plugin); a phone, when the
   * channel knows one, lets the same customer be recognised by the ISP system and the agents.
   */
  | { kind: 'other'; id: string; phone?: string; name?: string }

export type InboundKind =
  | 'text'
  | 'image'
  | 'audio'
  | 'voice'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'unsupported'

/** Opaque to the core: whatever the plugin needs to fetch the media later. */
export interface MediaRef {
  mime?: string
  fileName?: string
  size?: number
  durationSeconds?: number
  [key: string]: unknown
}

export interface InboundMessage {
  /** The provider's message id: the idempotency key within one inbox. */
  externalId: string
  from: ContactAddress
  chat?: { id: string; isGroup: boolean; name?: string }
  kind: InboundKind
  /** Body or caption. For `unsupported`, a short label such as "poll". */
  text?: string
  media?: MediaRef
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  contacts?: { name: string; phones: string[] }[]
  quotedExternalId?: string
  /** Sender inside a group. */
  participant?: { id: string; name?: string }
  /** E-mail threading, for channels that have it. */
  thread?: { messageId?: string; inReplyTo?: string; references?: string[]; subject?: string }
  /** Auto-replies and bounces: stored, never answered by the AI. */
  automated?: boolean
  sentAt: Date
}

export type ChannelEvent =
  | { type: 'message.received'; message: InboundMessage }
  /** Our own send coming back (match it to the outbound record) or a message typed on the business phone. */
  | { type: 'message.echo'; externalId: string; trackId?: string; typedOnPhone: boolean; message?: InboundMessage }
  | { type: 'message.reaction'; targetExternalId: string; emoji: string | null; from: ContactAddress; fromMe?: boolean }
  | { type: 'message.deleted'; targetExternalId: string }
  | { type: 'message.edited'; targetExternalId: string; text: string }
  | { type: 'typing'; from: ContactAddress; on: boolean }
  | { type: 'message.status'; externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at: Date }
  | { type: 'channel.status'; status: 'connected' | 'disconnected' | 'qr'; detail?: string }

export interface ChannelCapabilities {
  media: boolean
  voice: boolean
  reactions: boolean
  deleteForEveryone: boolean
  markRead: boolean
  typing: boolean
  /** Can carry a CSAT survey (a plain text message the customer can answer). */
  csat: boolean
  /** Longest text one message may carry; longer texts are split by the core. */
  maxTextLength?: number
  /** Longest caption a media message may carry; a longer one is sent by the core as text after the media. */
  maxCaptionLength?: number
  /** An agent may write first to a phone number (WhatsApp-like channels). */
  startsByPhone?: boolean
  groups?: boolean
  qr?: boolean
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON (or form) body. */
  body: unknown
  rawBody?: string
  query: Record<string, unknown>
  /** The event-name suffix some providers append to the URL (`/webhooks/evolution/KEY/messages-upsert`). */
  suffix?: string
}

export interface OutboundMessage {
  /** Our message id; channels that echo a track id get it back to match echoes. */
  id: number
  to: ContactAddress
  chatId?: string
  kind: 'text' | 'image' | 'audio' | 'voice' | 'video' | 'document'
  text?: string
  media?: { stream: () => Promise<Readable>; mime: string; fileName?: string; size?: number; url?: string }
  quoted?: { externalId: string; text?: string }
  /** Display name of the human agent, for channels that show one (e-mail From). */
  agentName?: string
  thread?: InboundMessage['thread']
}

export interface Stoppable {
  stop(): Promise<void>
}

export interface ChannelAdapter<Config = any> {
  readonly capabilities: ChannelCapabilities
  verifyWebhook?(req: WebhookRequest, inbox: InboxContext<Config>): boolean
  /** Throws MalformedPayloadError for bodies that are not what the provider sends. */
  parseWebhook?(req: WebhookRequest, inbox: InboxContext<Config>): ChannelEvent[]
  /** Answer for a malformed body: 4xx stops most providers retrying; Telegram retries every non-2xx. */
  readonly malformedStatus?: number
  start?(inbox: InboxContext<Config>, sink: (event: ChannelEvent) => Promise<void>): Promise<Stoppable>
  send(msg: OutboundMessage, inbox: InboxContext<Config>): Promise<{ externalId: string }>
  react?(target: string, emoji: string, to: ContactAddress, inbox: InboxContext<Config>): Promise<void>
  deleteForEveryone?(target: string, to: ContactAddress, inbox: InboxContext<Config>): Promise<void>
  markRead?(target: string, to: ContactAddress, inbox: InboxContext<Config>): Promise<void>
  typing?(to: ContactAddress, on: boolean, inbox: InboxContext<Config>): Promise<void>
  connect?(inbox: InboxContext<Config>): Promise<{ qr?: string; pairingCode?: string; status: string }>
  registerWebhook?(inbox: InboxContext<Config>, url: string): Promise<void>
  /** After the inbox is deleted (best effort): remove `url` from the provider if it is still the one set there. */
  unregisterWebhook?(inbox: InboxContext<Config>, url: string): Promise<void>
  fetchMedia(ref: MediaRef, inbox: InboxContext<Config>): Promise<{ stream: Readable; mime: string; fileName?: string }>
  testConnection?(inbox: InboxContext<Config>): Promise<{ ok: boolean; detail?: string }>
}

/* ------------------------------------------------------------------------------------------------
 * AI provider plugins
 * ---------------------------------------------------------------------------------------------- */

export interface ToolDefinition {
  name: string
  description: string
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>
}

export interface ToolCall {
  id: string
  name: string
  /** JSON text as the model produced it; the core validates it. */
  arguments: string
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string }

export interface ChatRequest {
  messages: ChatMessage[]
  /** Never empty when present: the core omits the field instead. */
  tools?: ToolDefinition[]
  model?: string
  temperature?: number
  maxTokens?: number
}

export interface ChatResult {
  text: string | null
  toolCalls: ToolCall[]
  usage?: { promptTokens: number; completionTokens: number; totalTokens: number }
  finishReason?: string
}

export interface AiAdapter<Config = any> {
  chat(request: ChatRequest, ctx: InstanceContext<Config>): Promise<ChatResult>
  transcribe?(audio: { data: Buffer; mime: string; fileName?: string }, ctx: InstanceContext<Config>): Promise<{ text: string }>
  testConnection?(ctx: InstanceContext<Config>): Promise<{ ok: boolean; detail?: string }>
}

/* ------------------------------------------------------------------------------------------------
 * ISP system plugins
 * ---------------------------------------------------------------------------------------------- */

export type IspOperation = 'findCustomer' | 'openInvoices' | 'connectionStatus' | 'trustUnlock' | 'openTicket'

export interface IspContract {
  id: string
  customerId?: string
  holderName: string
  document?: string
  address?: string
  plan?: string
  status: 'active' | 'suspended' | 'blocked' | 'cancelled' | 'unknown'
  statusLabel?: string
}

export interface IspInvoice {
  id: string
  contractId: string
  /** YYYY-MM-DD */
  dueDate: string
  amount: number
  status: 'open' | 'overdue'
  pixCode?: string
  boletoLine?: string
  pdfUrl?: string
}

export interface IspConnectionStatus {
  state: 'online' | 'offline' | 'suspended' | 'unknown'
  reason?: string
  since?: string
}

export interface IspTrustUnlock {
  granted: boolean
  days?: number
  reason?: string
  protocol?: string
}

export interface IspAdapter<Config = any> {
  readonly supports: readonly IspOperation[]
  findCustomer(query: { cpfCnpj?: string; phone?: string }, ctx: InstanceContext<Config>): Promise<IspContract[]>
  openInvoices(contractId: string, ctx: InstanceContext<Config>): Promise<IspInvoice[]>
  connectionStatus?(contractId: string, ctx: InstanceContext<Config>): Promise<IspConnectionStatus>
  trustUnlock?(contractId: string, ctx: InstanceContext<Config>): Promise<IspTrustUnlock>
  openTicket?(
    contractId: string,
    ticket: { reason: string; description: string },
    ctx: InstanceContext<Config>
  ): Promise<{ protocol: string }>
  testConnection?(ctx: InstanceContext<Config>): Promise<{ ok: boolean; detail?: string }>
}

/* ------------------------------------------------------------------------------------------------
 * Errors a plugin throws so the core can react (answer 4xx, retry, hand over to a human...).
 * ---------------------------------------------------------------------------------------------- */

export type PluginErrorCode =
  | 'not_found'
  | 'refused'
  | 'unavailable'
  | 'timeout'
  | 'auth'
  | 'rate_limited'
  | 'bad_request'
  | 'unsupported'

export class PluginError extends Error {
  constructor(
    readonly code: PluginErrorCode,
    message: string,
    readonly details: { retryAfterMs?: number; status?: number } = {}
  ) {
    super(message)
    this.name = 'PluginError'
  }

  /** Worth retrying later (the outbound job backs off on these). */
  get retryable() {
    return ['unavailable', 'timeout', 'rate_limited'].includes(this.code)
  }
}

/** A webhook body that is not what the provider sends: answered with the adapter's malformedStatus. */
export class MalformedPayloadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedPayloadError'
  }
}

/* ------------------------------------------------------------------------------------------------
 * The manifest
 * ---------------------------------------------------------------------------------------------- */

/** Tokens under which a plugin binds its implementation in its own tsyringe child container. */
export const TOKENS = {
  channel: Symbol.for('niochat.channel'),
  ai: Symbol.for('niochat.ai'),
  isp: Symbol.for('niochat.isp'),
  logger: Symbol.for('niochat.logger'),
} as const

export interface PluginManifest {
  /** kebab-case, unique among installed plugins */
  id: string
  kind: PluginKind
  name: string
  /** semver of the plugin itself */
  version: string
  /** semver range of the SDK it was written for, e.g. "^1.0.0" */
  sdk: string
  description?: string
  config: ConfigSchema
  /** Bind the adapter: `container.register(TOKENS.channel, { useClass: MyAdapter })`. */
  register(container: DependencyContainer): void
  /** Once, after every plugin is registered (load shared resources, check the environment). */
  boot?(container: DependencyContainer): Promise<void> | void
  /** In the processes that serve traffic, after boot (long-lived listeners such as IMAP IDLE). */
  start?(container: DependencyContainer): Promise<void> | void
  /** On shutdown, in reverse order of loading. */
  shutdown?(container: DependencyContainer): Promise<void> | void
}

/** A plugin's `plugin.ts` default-exports `definePlugin({...})`; the loader validates it. */
export function definePlugin<T extends PluginManifest>(manifest: T): T {
  return manifest
}
