import semver from 'semver'
import { SDK_VERSION, type PluginManifest } from '#plugins/sdk'
import { schemaProblems } from '#plugins/config_schema'

/** A plugin that cannot be loaded: the message names the plugin (or where it came from) and why. */
export class PluginLoadError extends Error {
  constructor(
    readonly plugin: string,
    readonly reason: string
  ) {
    super(`Plugin "${plugin}" cannot be loaded: ${reason}`)
    this.name = 'PluginLoadError'
  }
}

const KINDS = ['channel', 'ai', 'isp']
const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/**
 * Checks a plugin's default export before anything of it runs. `source` names the plugin in errors
 * until its id is known (a folder or package name).
 */
export function validateManifest(candidate: unknown, source: string): PluginManifest {
  if (!candidate || typeof candidate !== 'object') {
    throw new PluginLoadError(source, 'plugin.ts must default-export definePlugin({...})')
  }
  const manifest = candidate as Partial<PluginManifest>
  const name = typeof manifest.id === 'string' && manifest.id ? manifest.id : source
  const fail = (reason: string) => {
    throw new PluginLoadError(name, reason)
  }

  if (typeof manifest.id !== 'string' || !ID_PATTERN.test(manifest.id)) {
    fail(`id must be kebab-case (like "my-channel"), got ${JSON.stringify(manifest.id)}`)
  }
  if (!KINDS.includes(manifest.kind as string)) {
    fail(`kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(manifest.kind)}`)
  }
  if (typeof manifest.name !== 'string' || !manifest.name.trim()) fail('name is required')
  if (typeof manifest.version !== 'string' || !semver.valid(manifest.version)) {
    fail(`version must be a semver version (like "1.0.0"), got ${JSON.stringify(manifest.version)}`)
  }
  if (typeof manifest.sdk !== 'string' || !semver.validRange(manifest.sdk)) {
    fail(`sdk must be a semver range (like "^1.0.0"), got ${JSON.stringify(manifest.sdk)}`)
  }
  if (!semver.satisfies(SDK_VERSION, manifest.sdk!)) {
    fail(`it was written for SDK ${manifest.sdk}, but this NioChat provides SDK ${SDK_VERSION}`)
  }
  if (typeof manifest.register !== 'function') fail('register(container) is required')
  for (const hook of ['boot', 'start', 'shutdown'] as const) {
    if (manifest[hook] !== undefined && typeof manifest[hook] !== 'function') fail(`${hook} must be a function`)
  }
  const problems = schemaProblems(manifest.config)
  if (problems.length) fail(problems.join('; '))
  return manifest as PluginManifest
}
