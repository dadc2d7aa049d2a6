import { PluginRegistry } from '#plugins/registry'
import { currentLogger } from '#services/logging'

/**
 * The process's plugin registry, filled at start-up by providers/plugin_provider.ts from
 * config/plugins.ts. Services reach plugins only through it (`plugins.channels.get(id)`).
 */
const plugins = new PluginRegistry((pluginId) => {
  // Resolved at each call so job and request loggers (with their bindings) are used.
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (obj: object | string, msg?: string) =>
    typeof obj === 'string'
      ? currentLogger()[level]({ plugin: pluginId }, obj)
      : currentLogger()[level]({ plugin: pluginId, ...obj }, msg)
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
})

export default plugins
