import encryption from '@adonisjs/core/services/encryption'
import { errors as vineErrors } from '@vinejs/vine'
import ApiError from '#exceptions/api_error'
import plugins from '#plugins/main'
import { maskConfig, SECRET_MASK } from '#plugins/config_schema'
import type { PluginKind } from '#plugins/sdk'

const ENCRYPTED = '$encrypted'

/**
 * A plugin instance's config between the API and the database: validated against the plugin's
 * schema, stored as JSON text with every `secret` field encrypted (APP_KEY), and shown masked.
 */
export class PluginConfigService {
  /** The installed plugin of that kind, or a 422 on `field`. */
  pluginOf(pluginId: string, kind: PluginKind, field = 'plugin') {
    const plugin = plugins.plugin(pluginId)
    if (!plugin || plugin.manifest.kind !== kind) {
      throw new ApiError(422, `No ${kind} plugin "${pluginId}" is installed`, field, 'plugin')
    }
    return plugin
  }

  /**
   * Validates a config for a plugin. On update, `previous` is the stored config: omitted fields keep
   * their value, and a secret sent back masked (or empty) keeps the stored secret, so a form that
   * never saw the secret can still be saved. Errors are 422 with `config.<field>` names.
   */
  async validate(
    pluginId: string,
    kind: PluginKind,
    input: Record<string, unknown>,
    previous?: Record<string, unknown>
  ): Promise<Record<string, unknown>> {
    const plugin = this.pluginOf(pluginId, kind)
    const merged: Record<string, unknown> = { ...(previous ?? {}) }
    for (const [name, value] of Object.entries(input ?? {})) {
      const field = plugin.manifest.config[name]
      if (field?.secret && previous?.[name] !== undefined && (value === SECRET_MASK || value === '' || value === null)) {
        continue
      }
      merged[name] = value
    }
    try {
      return await plugin.validateConfig(merged)
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        const messages = (error as any).messages as { field: string; message: string; rule: string }[]
        throw new vineErrors.E_VALIDATION_ERROR(
          messages.map((m) => ({ ...m, field: `config.${m.field}` }))
        )
      }
      throw error
    }
  }

  /** JSON text for the database, secrets encrypted. */
  seal(pluginId: string, config: Record<string, unknown>): string {
    const schema = plugins.plugin(pluginId)?.manifest.config ?? {}
    const stored: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(config)) {
      stored[name] =
        schema[name]?.secret && value !== undefined && value !== null && value !== ''
          ? { [ENCRYPTED]: encryption.encrypt(String(value)) }
          : value
    }
    return JSON.stringify(stored)
  }

  /*
   * Every webhook opens its inbox's config: the same stored text decrypts to the same config, so the
   * last few are kept (a bounded map, oldest out first; decrypting was a twentieth of ingest CPU).
   */
  #opened = new Map<string, Record<string, unknown>>()

  /** The stored text back to a plain config (secrets decrypted): only for plugin calls, never for answers. */
  open(text: string | null): Record<string, unknown> {
    if (!text) return {}
    const known = this.#opened.get(text)
    if (known) return { ...known }
    const config = this.#decrypt(text)
    this.#opened.set(text, config)
    if (this.#opened.size > 500) this.#opened.delete(this.#opened.keys().next().value as string)
    return { ...config }
  }

  #decrypt(text: string): Record<string, unknown> {
    const stored = JSON.parse(text) as Record<string, unknown>
    const config: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(stored)) {
      if (value && typeof value === 'object' && ENCRYPTED in value) {
        config[name] = encryption.decrypt<string>(String((value as any)[ENCRYPTED]))
      } else {
        config[name] = value
      }
    }
    return config
  }

  /** What an API answer may show. */
  mask(pluginId: string, config: Record<string, unknown>) {
    const schema = plugins.plugin(pluginId)?.manifest.config
    return schema ? maskConfig(schema, config) : {}
  }
}

const pluginConfig = new PluginConfigService()
export default pluginConfig
