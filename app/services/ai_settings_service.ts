import db from '@adonisjs/lucid/services/db'
import plugins from '#plugins/main'
import Provider, { type Persona } from '#models/provider'
import ProviderSetting from '#models/provider_setting'
import audit from '#services/audit_service'
import pluginConfig from '#services/plugin_config_service'
import { currentLogger } from '#services/logging'
import { PluginError, type AiAdapter, type InstanceContext, type PluginLogger } from '#plugins/sdk'
import type { IspHandle } from '#services/ai/tool_executor'
import { buildSystemPrompt } from '#services/ai/prompt_builder'
import { toolsFor } from '#services/ai/tool_definitions'

export interface AiOptions {
  debounceSeconds: number
  maxToolRounds: number
  temperature: number
}

export const DEFAULT_AI_OPTIONS: AiOptions = { debounceSeconds: 3, maxToolRounds: 5, temperature: 0.4 }

export interface Actor {
  userId: number
  ip?: string | null
}

export interface AiHandle {
  adapter: AiAdapter
  ctx: InstanceContext
  model?: string
  options: AiOptions
}

function pluginLogger(bindings: Record<string, unknown>): PluginLogger {
  const base = currentLogger().child(bindings)
  return {
    debug: (obj: any, msg?: string) => base.debug(obj, msg),
    info: (obj: any, msg?: string) => base.info(obj, msg),
    warn: (obj: any, msg?: string) => base.warn(obj, msg),
    error: (obj: any, msg?: string) => base.error(obj, msg),
  }
}

/**
 * The AI provider and ISP system a provider uses (`…/settings/ai`, `…/settings/isp`): plugin id,
 * config validated against the plugin's schema with secrets encrypted, and the agent's options.
 * The only place that turns those settings into plugin adapters for the agent.
 */
export class AiSettingsService {
  async #row(providerId: number, kind: 'ai' | 'isp') {
    return ProviderSetting.query().where({ providerId, kind }).first()
  }

  async showAi(provider: Provider) {
    const row = await this.#row(provider.id, 'ai')
    return {
      enabled: row?.enabled ?? false,
      plugin: row?.pluginId ?? null,
      config: row?.pluginId ? pluginConfig.mask(row.pluginId, pluginConfig.open(row.config)) : {},
      persona: provider.persona ?? {},
      ...DEFAULT_AI_OPTIONS,
      ...((row?.settings ?? {}) as Partial<AiOptions>),
    }
  }

  async showIsp(providerId: number) {
    const row = await this.#row(providerId, 'isp')
    return {
      enabled: row?.enabled ?? false,
      plugin: row?.pluginId ?? null,
      config: row?.pluginId ? pluginConfig.mask(row.pluginId, pluginConfig.open(row.config)) : {},
      supports: row?.pluginId ? (plugins.isp.find(row.pluginId)?.supports ?? []) : [],
    }
  }

  async updateAi(
    actor: Actor,
    provider: Provider,
    input: { enabled?: boolean; plugin?: string; config?: Record<string, unknown>; persona?: Persona } & Partial<AiOptions>
  ) {
    const row = await this.#row(provider.id, 'ai')
    const pluginId = input.plugin ?? row?.pluginId ?? null
    const samePlugin = pluginId === row?.pluginId
    const config = pluginId
      ? await pluginConfig.validate(pluginId, 'ai', input.config ?? {}, samePlugin ? pluginConfig.open(row?.config ?? null) : undefined)
      : null
    const options: Partial<AiOptions> = { ...((row?.settings ?? {}) as Partial<AiOptions>) }
    for (const key of ['debounceSeconds', 'maxToolRounds', 'temperature'] as const) {
      if (input[key] !== undefined) options[key] = input[key]
    }
    await db.transaction(async (trx) => {
      await ProviderSetting.updateOrCreate(
        { providerId: provider.id, kind: 'ai' },
        {
          providerId: provider.id,
          kind: 'ai',
          enabled: input.enabled ?? row?.enabled ?? Boolean(pluginId),
          pluginId,
          config: config && pluginId ? pluginConfig.seal(pluginId, config) : null,
          settings: options,
        },
        { client: trx }
      )
      if (input.persona) {
        provider.useTransaction(trx)
        provider.persona = { ...(provider.persona ?? {}), ...input.persona }
        await provider.save()
      }
      await audit.record(
        { providerId: provider.id, userId: actor.userId, action: 'settings.ai.updated', targetType: 'settings', targetId: 'ai', after: { plugin: pluginId, enabled: input.enabled, ...options }, ip: actor.ip },
        trx
      )
    })
    return this.showAi(provider)
  }

  async updateIsp(actor: Actor, providerId: number, input: { enabled?: boolean; plugin?: string | null; config?: Record<string, unknown> }) {
    const row = await this.#row(providerId, 'isp')
    const pluginId = input.plugin === undefined ? (row?.pluginId ?? null) : input.plugin
    const samePlugin = pluginId === row?.pluginId
    const config = pluginId
      ? await pluginConfig.validate(pluginId, 'isp', input.config ?? {}, samePlugin ? pluginConfig.open(row?.config ?? null) : undefined)
      : null
    await db.transaction(async (trx) => {
      await ProviderSetting.updateOrCreate(
        { providerId, kind: 'isp' },
        {
          providerId,
          kind: 'isp',
          enabled: pluginId ? (input.enabled ?? true) : false,
          pluginId,
          config: config && pluginId ? pluginConfig.seal(pluginId, config) : null,
          settings: {},
        },
        { client: trx }
      )
      await audit.record(
        { providerId, userId: actor.userId, action: 'settings.isp.updated', targetType: 'settings', targetId: 'isp', after: { plugin: pluginId, enabled: input.enabled }, ip: actor.ip },
        trx
      )
    })
    return this.showIsp(providerId)
  }

  /** The provider's AI adapter with its config, or null when no AI is configured and enabled. */
  /**
   * The system prompt the AI would get now, for a first message of an unknown customer: what the
   * admin's persona and company data turn into. It carries no secret (no keys, no ISP credentials).
   */
  async promptPreview(provider: Provider, now = new Date()) {
    const isp = await this.ispFor(provider.id)
    const tools = toolsFor(isp?.adapter.supports ?? null).map((tool) => tool.name)
    return { prompt: buildSystemPrompt({ provider, facts: {}, tools, now }), tools }
  }

  async aiFor(providerId: number): Promise<AiHandle | null> {
    const row = await this.#row(providerId, 'ai')
    if (!row?.enabled || !row.pluginId) return null
    const adapter = plugins.ai.find(row.pluginId)
    if (!adapter) return null
    const config = pluginConfig.open(row.config)
    return {
      adapter,
      ctx: { providerId, config, logger: pluginLogger({ plugin: row.pluginId, provider_id: providerId }) },
      model: typeof config.model === 'string' ? config.model : undefined,
      options: { ...DEFAULT_AI_OPTIONS, ...((row.settings ?? {}) as Partial<AiOptions>) },
    }
  }

  async aiOptions(providerId: number): Promise<AiOptions & { enabled: boolean }> {
    const row = await this.#row(providerId, 'ai')
    return { ...DEFAULT_AI_OPTIONS, ...((row?.settings ?? {}) as Partial<AiOptions>), enabled: Boolean(row?.enabled && row.pluginId) }
  }

  /** The provider's ISP system, or null: then the AI is offered no ISP tools. */
  async ispFor(providerId: number): Promise<IspHandle | null> {
    const row = await this.#row(providerId, 'isp')
    if (!row?.enabled || !row.pluginId) return null
    const adapter = plugins.isp.find(row.pluginId)
    if (!adapter) return null
    return {
      pluginId: row.pluginId,
      adapter,
      ctx: { providerId, config: pluginConfig.open(row.config), logger: pluginLogger({ plugin: row.pluginId, provider_id: providerId }) },
    }
  }

  /** The admin's "test connection" buttons: the saved config, against the real upstream. */
  async test(providerId: number, kind: 'ai' | 'isp'): Promise<{ ok: boolean; detail?: string }> {
    const handle = kind === 'ai' ? await this.aiFor(providerId) : await this.ispFor(providerId)
    if (!handle) return { ok: false, detail: `No ${kind === 'ai' ? 'AI provider' : 'ISP system'} is configured` }
    if (!handle.adapter.testConnection) return { ok: true, detail: 'This plugin has no connection test' }
    try {
      return await handle.adapter.testConnection(handle.ctx as any)
    } catch (error) {
      if (error instanceof PluginError) return { ok: false, detail: error.message }
      throw error
    }
  }
}

const aiSettings = new AiSettingsService()
export default aiSettings
