import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PluginLoadError } from '#plugins/manifest'
import type { PluginRegistry } from '#plugins/registry'

export interface PluginsConfig {
  /** Folder names under `plugins/`, each with a `plugin.ts` that default-exports definePlugin(). */
  local: string[]
  /** npm package names whose main export default-exports definePlugin(). */
  packages: string[]
}

export function definePluginsConfig(config: Partial<PluginsConfig>): PluginsConfig {
  return { local: config.local ?? [], packages: config.packages ?? [] }
}

/** The module of a local plugin: `plugin.js` once built, `plugin.ts` from source. */
function localEntry(pluginsDir: string, folder: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(folder)) {
    throw new PluginLoadError(folder, 'a local plugin is named by its folder under plugins/ (kebab-case)')
  }
  for (const file of ['plugin.js', 'plugin.ts']) {
    const path = join(pluginsDir, folder, file)
    if (existsSync(path)) return pathToFileURL(path).href
  }
  throw new PluginLoadError(folder, `plugins/${folder}/plugin.ts was not found`)
}

async function importDefault(specifier: string, name: string): Promise<unknown> {
  let module: any
  try {
    module = await import(specifier)
  } catch (error) {
    throw new PluginLoadError(name, `it failed to import: ${(error as Error).message}`)
  }
  return module?.default
}

/**
 * Loads every plugin named in config/plugins.ts into the registry, in order. The first broken one
 * stops start-up with its name and the reason (never skipped silently).
 */
export async function loadPlugins(registry: PluginRegistry, config: PluginsConfig, pluginsDir: string) {
  for (const folder of config.local) {
    const manifest = await importDefault(localEntry(pluginsDir, folder), folder)
    const plugin = registry.add(manifest, `plugins/${folder}`)
    if (plugin.manifest.id !== folder) {
      throw new PluginLoadError(folder, `its id "${plugin.manifest.id}" must match its folder name`)
    }
  }
  for (const name of config.packages) {
    registry.add(await importDefault(name, name), `npm package ${name}`)
  }
  return registry
}
