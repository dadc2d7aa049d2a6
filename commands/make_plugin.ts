import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import string from '@adonisjs/core/helpers/string'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const KINDS = ['channel', 'ai', 'isp'] as const
/** The same rule the plugin loader applies to manifest ids. */
const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
const MARKER = '// make:plugin adds new local plugins above this line'

/**
 * `make:plugin <name> --kind channel|ai|isp`: a working plugin folder (manifest, adapter, a fake of
 * its upstream and the tests that run against it) from the stubs in stubs/make_plugin/<kind>, and its
 * line in config/plugins.ts. Nothing else in the core changes.
 *
 * Each stub starts with `to: <path in the plugin folder>` and `---`. The placeholders are replaced
 * here rather than through AdonisJS's stub engine (Tempura): it compiles a stub into a JavaScript
 * template literal, which mangles the backticks, `${}` and backslashes that plugin code is full of.
 */
export default class MakePlugin extends BaseCommand {
  static commandName = 'make:plugin'
  static description = 'Scaffold a channel, AI or ISP plugin under plugins/ with its tests'
  static options: CommandOptions = { startApp: false }

  @args.string({ description: 'Plugin id or name, like "acme-chat"' })
  declare name: string

  @flags.string({ description: 'channel, ai or isp', required: true })
  declare kind: string

  @flags.string({ description: 'Name shown to admins (defaults to the id in words)' })
  declare displayName?: string

  async run() {
    const id = string.dashCase(this.name.trim())
    if (!ID_PATTERN.test(id)) return this.#fail(`"${this.name}" cannot be a plugin id: use letters, digits and dashes, starting with a letter`)
    if (!KINDS.includes(this.kind as (typeof KINDS)[number])) return this.#fail(`--kind must be one of ${KINDS.join(', ')}, got "${this.kind}"`)

    const targetDir = this.app.makePath('plugins', id)
    if (existsSync(targetDir)) return this.#fail(`plugins/${id} already exists`)
    const configPath = this.app.configPath('plugins.ts')
    const config = await readFile(configPath, 'utf8')
    if (!config.includes(MARKER)) return this.#fail(`config/plugins.ts has no "${MARKER}" line; add the plugin there by hand`)
    if (new RegExp(`['"]${id}['"]`).test(config)) return this.#fail(`"${id}" is already listed in config/plugins.ts`)

    const state = {
      id,
      targetDir,
      fileBase: string.snakeCase(id),
      className: string.pascalCase(id),
      // Names go into code as plain words: nothing a template would have to escape.
      displayName: (this.displayName ?? string.sentenceCase(id)).replace(/[^\p{L}\p{N} .()-]/gu, '').trim() || id,
    }
    const stubsDir = this.app.makePath('stubs', 'make_plugin', this.kind)
    const fill = (text: string) => text.replace(/\{\{ (\w+) \}\}/g, (_, key: keyof typeof state) => state[key])
    for (const stub of (await readdir(stubsDir)).sort()) {
      const [header, ...body] = (await readFile(join(stubsDir, stub), 'utf8')).split('\n---\n')
      const destination = join(targetDir, fill(header.replace(/^to: /, '').trim()))
      await mkdir(dirname(destination), { recursive: true })
      await writeFile(destination, fill(body.join('\n---\n')))
      this.logger.action(`create ${this.app.relativePath(destination)}`).succeeded()
    }

    // A text edit rather than a codemod: config/plugins.ts is our own format, with a marker for this.
    await writeFile(configPath, config.replace(MARKER, `'${id}',\n    ${MARKER}`))
    this.logger.action('update config/plugins.ts').succeeded()
    this.logger.info(`Next: npm run ace -- test functional --files=plugins/${id}/tests`)
  }

  #fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
