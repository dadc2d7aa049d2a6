import 'reflect-metadata'
import { container as globalContainer, type DependencyContainer } from 'tsyringe'
import {
  TOKENS,
  type AiAdapter,
  type ChannelAdapter,
  type IspAdapter,
  type PluginKind,
  type PluginLogger,
  type PluginManifest,
} from '#plugins/sdk'
import { PluginLoadError, validateManifest } from '#plugins/manifest'
import { compileConfigValidator, describeSchema } from '#plugins/config_schema'

interface AdapterOfKind {
  channel: ChannelAdapter
  ai: AiAdapter
  isp: IspAdapter
}

export interface LoadedPlugin {
  manifest: PluginManifest
  /** The plugin's own tsyringe child container. */
  container: DependencyContainer
  /** Where it came from: a local folder or an npm package. */
  source: string
  validateConfig: (input: Record<string, unknown>) => Promise<Record<string, unknown>>
}

/** A lookup of a plugin that is not installed (or not of the kind asked for). */
export class UnknownPluginError extends Error {
  constructor(
    readonly pluginId: string,
    readonly kind: PluginKind
  ) {
    super(`No ${kind} plugin "${pluginId}" is installed`)
    this.name = 'UnknownPluginError'
  }
}

/** Typed lookups of one kind: `channels.get('evolution')`. */
class KindView<K extends PluginKind> {
  constructor(
    private registry: PluginRegistry,
    private kind: K
  ) {}

  get(id: string): AdapterOfKind[K] {
    const adapter = this.find(id)
    if (!adapter) throw new UnknownPluginError(id, this.kind)
    return adapter
  }

  find(id: string): AdapterOfKind[K] | undefined {
    const plugin = this.registry.plugin(id)
    if (!plugin || plugin.manifest.kind !== this.kind) return undefined
    return this.registry.adapterOf(plugin) as AdapterOfKind[K]
  }

  has(id: string) {
    return this.find(id) !== undefined
  }

  ids(): string[] {
    return this.registry.list(this.kind).map((plugin) => plugin.manifest.id)
  }
}

/**
 * The plugin registry (DESIGN "The plugin kernel"). tsyringe stays inside this boundary: each plugin
 * gets a child container where its register() binds its adapter under the token of its kind, plus
 * the host capabilities it may use (a logger), registered as values. The AdonisJS container only ever
 * sees this one object.
 */
export class PluginRegistry {
  #root: DependencyContainer
  #plugins = new Map<string, LoadedPlugin>()
  #adapters = new Map<string, unknown>()
  #booted = false

  readonly channels = new KindView(this, 'channel')
  readonly ai = new KindView(this, 'ai')
  readonly isp = new KindView(this, 'isp')

  constructor(
    private hostLogger: (pluginId: string) => PluginLogger,
    parent: DependencyContainer = globalContainer
  ) {
    this.#root = parent.createChildContainer()
  }

  /** Validates and registers one plugin; throws PluginLoadError naming it and the problem. */
  add(candidate: unknown, source: string): LoadedPlugin {
    const manifest = validateManifest(candidate, source)
    const existing = this.#plugins.get(manifest.id)
    if (existing) {
      throw new PluginLoadError(manifest.id, `the id is already used by the plugin loaded from ${existing.source}`)
    }
    const child = this.#root.createChildContainer()
    child.registerInstance(TOKENS.logger, this.hostLogger(manifest.id))
    try {
      manifest.register(child)
    } catch (error) {
      throw new PluginLoadError(manifest.id, `register() failed: ${(error as Error).message}`)
    }
    const token = TOKENS[manifest.kind]
    if (!child.isRegistered(token)) {
      throw new PluginLoadError(
        manifest.id,
        `register() must bind its adapter with container.register(TOKENS.${manifest.kind}, ...)`
      )
    }
    const plugin: LoadedPlugin = {
      manifest,
      container: child,
      source,
      validateConfig: compileConfigValidator(manifest.config),
    }
    // Resolve now so a broken adapter fails start-up, not the first webhook.
    try {
      this.#adapters.set(manifest.id, child.resolve(token))
    } catch (error) {
      throw new PluginLoadError(manifest.id, `its adapter cannot be created: ${(error as Error).message}`)
    }
    this.#plugins.set(manifest.id, plugin)
    return plugin
  }

  plugin(id: string): LoadedPlugin | undefined {
    return this.#plugins.get(id)
  }

  /** One adapter instance per plugin, so caches it keeps (tokens, clients) live as long as the process. */
  adapterOf(plugin: LoadedPlugin): unknown {
    return this.#adapters.get(plugin.manifest.id)
  }

  list(kind?: PluginKind): LoadedPlugin[] {
    return [...this.#plugins.values()].filter((plugin) => !kind || plugin.manifest.kind === kind)
  }

  /** The catalogue the admin UI renders forms from. */
  catalogue(kind?: PluginKind) {
    return this.list(kind).map(({ manifest }) => {
      const adapter = this.#adapters.get(manifest.id) as Partial<ChannelAdapter>
      return {
        id: manifest.id,
        kind: manifest.kind,
        name: manifest.name,
        version: manifest.version,
        description: manifest.description ?? null,
        config: describeSchema(manifest.config),
        ...(manifest.kind === 'channel' ? { capabilities: adapter.capabilities ?? null } : {}),
      }
    })
  }

  async boot() {
    if (this.#booted) return
    for (const plugin of this.#plugins.values()) {
      await this.#hook(plugin, 'boot')
    }
    this.#booted = true
  }

  async start() {
    for (const plugin of this.#plugins.values()) await this.#hook(plugin, 'start')
  }

  async shutdown() {
    for (const plugin of [...this.#plugins.values()].reverse()) {
      try {
        await plugin.manifest.shutdown?.(plugin.container)
      } catch (error) {
        this.hostLogger(plugin.manifest.id).warn({ err: error }, 'plugin shutdown failed')
      }
    }
    for (const plugin of this.#plugins.values()) await plugin.container.dispose()
    this.#plugins.clear()
    this.#adapters.clear()
    this.#booted = false
  }

  async #hook(plugin: LoadedPlugin, hook: 'boot' | 'start') {
    try {
      await plugin.manifest[hook]?.(plugin.container)
    } catch (error) {
      throw new PluginLoadError(plugin.manifest.id, `${hook}() failed: ${(error as Error).message}`)
    }
  }
}
