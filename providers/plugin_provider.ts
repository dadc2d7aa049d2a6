import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Loads the plugins of config/plugins.ts into the registry at boot (a broken plugin stops start-up
 * with its name and the reason), binds the registry in the AdonisJS container, plugs the channel
 * capabilities and the outbound sender into the CSAT service, starts the plugins' long-lived parts
 * in the processes that serve traffic, and shuts them down.
 */
export default class PluginProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const { default: plugins } = await import('#plugins/main')
    const { PluginRegistry } = await import('#plugins/registry')
    const { loadPlugins } = await import('#plugins/loader')
    const { default: config } = await import('#config/plugins')
    this.app.container.singleton(PluginRegistry, () => plugins)

    await loadPlugins(plugins, config, this.app.makePath('plugins'))
    await plugins.boot()

    const { default: csat } = await import('#services/csat_service')
    const { default: outbound } = await import('#services/outbound_service')
    csat.useChannelCapabilities((pluginId) => plugins.channels.find(pluginId)?.capabilities.csat)
    csat.useSender((trx, conversation, text, metadata) => outbound.queueSystemText(trx, conversation, text, metadata))
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { default: plugins } = await import('#plugins/main')
    await plugins.start()
  }

  async shutdown() {
    const { default: plugins } = await import('#plugins/main')
    await plugins.shutdown()
  }
}
