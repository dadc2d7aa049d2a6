import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import ApiError from '#exceptions/api_error'
import Inbox from '#models/inbox'
import Provider from '#models/provider'
import Team from '#models/team'
import plugins from '#plugins/main'
import { PluginError, type ChannelAdapter, type InboxContext } from '#plugins/sdk'
import audit from '#services/audit_service'
import pluginConfig from '#services/plugin_config_service'
import { currentLogger } from '#services/logging'
import { pageById } from '#services/pagination'
import { findOwned } from '#services/tenancy'

export interface InboxActor {
  userId: number
  ip?: string | null
}

export interface InboxInput {
  name?: string
  plugin?: string
  config?: Record<string, unknown>
  enableGroups?: boolean
  defaultTeamId?: number | null
}

/** The outcome of setting our webhook URL on the provider, reported to the admin. */
export interface WebhookRegistration {
  registered: boolean
  detail?: string
}

export function webhookUrlOf(inbox: Pick<Inbox, 'pluginId' | 'webhookKey'>) {
  return `${env.get('APP_URL').replace(/\/+$/, '')}/webhooks/${inbox.pluginId}/${inbox.webhookKey}`
}

const CACHE_MS = 5_000

/**
 * Inboxes: one channel-plugin instance each. Creates and updates them with their plugin's config
 * (validated, secrets encrypted), registers our webhook on the provider where the plugin can, and
 * builds the InboxContext every plugin call receives.
 */
export class InboxService {
  /** Webhook key → inbox, briefly cached: every webhook starts with this lookup. */
  #byKey = new Map<string, { inbox: Inbox; provider?: Provider; at: number }>()

  async findByWebhookKey(webhookKey: string): Promise<Inbox | null> {
    const cached = this.#byKey.get(webhookKey)
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.inbox
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(webhookKey)) return null
    const inbox = await Inbox.findBy('webhookKey', webhookKey)
    if (inbox) this.#byKey.set(webhookKey, { inbox, at: Date.now() })
    return inbox
  }

  forget(inbox: Inbox) {
    this.#byKey.delete(inbox.webhookKey)
  }

  /** An inbox's provider, cached with the inbox: ingest reads whether it is suspended on every webhook. */
  async providerOf(inbox: Inbox): Promise<Provider> {
    const cached = this.#byKey.get(inbox.webhookKey)
    if (cached?.provider && Date.now() - cached.at < CACHE_MS) return cached.provider
    const provider = await Provider.findOrFail(inbox.providerId)
    if (cached) cached.provider = provider
    return provider
  }

  /** After a provider changes (here; other instances see it within the cache time). */
  forgetProvider(providerId: number) {
    for (const [key, cached] of this.#byKey) if (cached.inbox.providerId === providerId) this.#byKey.delete(key)
  }

  adapterOf(inbox: Pick<Inbox, 'pluginId'>): ChannelAdapter {
    const adapter = plugins.channels.find(inbox.pluginId)
    if (!adapter) throw new PluginError('unsupported', `the channel plugin "${inbox.pluginId}" is not installed`)
    return adapter
  }

  /** What a plugin call receives: the decrypted config and a logger tagged with the inbox. */
  contextFor(inbox: Inbox): InboxContext {
    const base = currentLogger().child({ plugin: inbox.pluginId, inbox_id: inbox.id, provider_id: inbox.providerId })
    return {
      providerId: inbox.providerId,
      inboxId: inbox.id,
      config: pluginConfig.open(inbox.config),
      logger: {
        debug: (obj: any, msg?: string) => base.debug(obj, msg),
        info: (obj: any, msg?: string) => base.info(obj, msg),
        warn: (obj: any, msg?: string) => base.warn(obj, msg),
        error: (obj: any, msg?: string) => base.error(obj, msg),
      },
      webhookUrl: webhookUrlOf(inbox),
      state: { ...(inbox.state ?? {}) },
      enableGroups: inbox.enableGroups,
      saveState: async (patch) => {
        await db.rawQuery('UPDATE inboxes SET state = state || ?::jsonb, updated_at = now() WHERE id = ?', [
          JSON.stringify(patch),
          inbox.id,
        ])
        inbox.state = { ...(inbox.state ?? {}), ...patch }
      },
    }
  }

  async list(providerId: number, page: { cursor?: string; limit?: number }) {
    return pageById<Inbox>(Inbox.query().where('provider_id', providerId) as any, page)
  }

  find(providerId: number, id: unknown) {
    return findOwned(Inbox, providerId, id, 'Inbox')
  }

  async create(actor: InboxActor, providerId: number, input: Required<Pick<InboxInput, 'name' | 'plugin'>> & InboxInput) {
    const config = await pluginConfig.validate(input.plugin, 'channel', input.config ?? {})
    await this.#checkTeam(providerId, input.defaultTeamId)
    const inbox = await db.transaction(async (trx) => {
      const created = await Inbox.create(
        {
          providerId,
          name: input.name,
          pluginId: input.plugin,
          config: pluginConfig.seal(input.plugin, config),
          webhookKey: randomBytes(24).toString('base64url'),
          status: 'unknown',
          enableGroups: input.enableGroups ?? false,
          defaultTeamId: input.defaultTeamId ?? null,
          state: {},
        },
        { client: trx }
      )
      await this.#audit(trx, actor, 'inbox.created', created, null, this.#auditView(created, config))
      return created
    })
    const webhook = await this.registerWebhook(inbox)
    return { inbox, config, webhook }
  }

  async update(actor: InboxActor, providerId: number, id: unknown, input: InboxInput) {
    const inbox = await this.find(providerId, id)
    const previous = pluginConfig.open(inbox.config)
    const config = input.config ? await pluginConfig.validate(inbox.pluginId, 'channel', input.config, previous) : previous
    if (input.defaultTeamId !== undefined) await this.#checkTeam(providerId, input.defaultTeamId)
    const before = this.#auditView(inbox, previous)
    await db.transaction(async (trx) => {
      inbox.useTransaction(trx)
      inbox.merge({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.enableGroups !== undefined ? { enableGroups: input.enableGroups } : {}),
        ...(input.defaultTeamId !== undefined ? { defaultTeamId: input.defaultTeamId } : {}),
        ...(input.config ? { config: pluginConfig.seal(inbox.pluginId, config) } : {}),
      })
      await inbox.save()
      await this.#audit(trx, actor, 'inbox.updated', inbox, before, this.#auditView(inbox, config))
    })
    this.forget(inbox)
    const webhook = input.config ? await this.registerWebhook(inbox) : undefined
    return { inbox, config, webhook }
  }

  async remove(actor: InboxActor, providerId: number, id: unknown) {
    const inbox = await this.find(providerId, id)
    const before = this.#auditView(inbox, pluginConfig.open(inbox.config))
    await db.transaction(async (trx) => {
      await this.#audit(trx, actor, 'inbox.deleted', inbox, before, null)
      inbox.useTransaction(trx)
      await inbox.delete()
    })
    this.forget(inbox)
    await this.#unregisterWebhook(inbox)
  }

  /** Best effort: the provider stops calling a URL that is gone (it would retry it for hours). */
  async #unregisterWebhook(inbox: Inbox) {
    const adapter = plugins.channels.find(inbox.pluginId)
    if (!adapter?.unregisterWebhook) return
    try {
      await adapter.unregisterWebhook(this.contextFor(inbox), webhookUrlOf(inbox))
    } catch (error) {
      currentLogger().warn({ inbox_id: inbox.id, code: (error as PluginError).code }, 'inbox: webhook removal failed')
    }
  }

  /** Sets our webhook URL on the provider when the plugin can; a failure is reported, not thrown. */
  async registerWebhook(inbox: Inbox): Promise<WebhookRegistration> {
    const adapter = this.adapterOf(inbox)
    if (!adapter.registerWebhook) return { registered: false, detail: 'paste the webhook URL in the provider panel' }
    try {
      await adapter.registerWebhook(this.contextFor(inbox), webhookUrlOf(inbox))
      return { registered: true }
    } catch (error) {
      if (!(error instanceof PluginError)) throw error
      currentLogger().warn({ inbox_id: inbox.id, code: error.code }, 'inbox: webhook registration failed')
      return { registered: false, detail: error.message }
    }
  }

  async testConnection(providerId: number, id: unknown) {
    const inbox = await this.find(providerId, id)
    const adapter = this.adapterOf(inbox)
    if (!adapter.testConnection) return { ok: true, detail: 'this channel has no connection test' }
    try {
      return await adapter.testConnection(this.contextFor(inbox))
    } catch (error) {
      if (error instanceof PluginError) return { ok: false, detail: error.message }
      throw error
    }
  }

  /** The QR code or pairing code of a WhatsApp instance, for the admin to scan. */
  async connect(providerId: number, id: unknown) {
    const inbox = await this.find(providerId, id)
    const adapter = this.adapterOf(inbox)
    if (!adapter.connect) throw new ApiError(422, 'This channel does not pair with a QR code')
    try {
      const result = await adapter.connect(this.contextFor(inbox))
      const status = result.status === 'connected' ? 'connected' : result.qr || result.pairingCode ? 'qr' : null
      if (status) await this.setStatus(inbox, status, null)
      return result
    } catch (error) {
      if (error instanceof PluginError) throw new ApiError(502, `The provider did not answer: ${error.message}`)
      throw error
    }
  }

  async setStatus(inbox: Inbox, status: Inbox['status'], detail: string | null, trx?: TransactionClientContract) {
    await (trx ?? db)
      .from('inboxes')
      .where('id', inbox.id)
      .update({ status, status_detail: detail, status_at: new Date(), updated_at: new Date() })
    inbox.status = status
    inbox.statusDetail = detail
    inbox.statusAt = DateTime.now()
  }

  async #checkTeam(providerId: number, teamId: number | null | undefined) {
    if (!teamId) return
    const team = await Team.query().where({ providerId, id: teamId }).first()
    if (!team) throw new ApiError(422, 'The team does not exist', 'defaultTeamId', 'exists')
  }

  #auditView(inbox: Inbox, config: Record<string, unknown>) {
    return {
      name: inbox.name,
      plugin: inbox.pluginId,
      enableGroups: inbox.enableGroups,
      defaultTeamId: inbox.defaultTeamId,
      config: pluginConfig.mask(inbox.pluginId, config),
    }
  }

  #audit(
    trx: TransactionClientContract,
    actor: InboxActor,
    action: string,
    inbox: Inbox,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null
  ) {
    return audit.record(
      { providerId: inbox.providerId, userId: actor.userId, ip: actor.ip ?? null, action, targetType: 'inbox', targetId: inbox.id, before, after },
      trx
    )
  }
}

const inboxes = new InboxService()
export default inboxes
