import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { container } from 'tsyringe'
import { PluginLoadError } from '#plugins/manifest'
import { loadPlugins } from '#plugins/loader'
import { PluginRegistry } from '#plugins/registry'
import { SDK_VERSION, TOKENS, definePlugin, fields, type ChannelAdapter, type PluginLogger } from '#plugins/sdk'

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} }
const registry = () => new PluginRegistry(() => silent, container)

class EchoChannel implements ChannelAdapter {
  readonly capabilities = { media: false, voice: false, reactions: false, deleteForEveryone: false, markRead: false, typing: false, csat: true }
  async send() {
    return { externalId: 'x' }
  }
  async fetchMedia(): Promise<never> {
    throw new Error('no media')
  }
}

const valid = (overrides: Record<string, unknown> = {}) => ({
  id: 'echo-channel',
  kind: 'channel',
  name: 'Echo',
  version: '1.0.0',
  sdk: '^1.0.0',
  config: { token: fields.secret({ label: 'Token', required: true }) },
  register(c: any) {
    c.register(TOKENS.channel, { useClass: EchoChannel })
  },
  ...overrides,
})

function refusal(candidate: unknown, source = 'plugins/echo-channel') {
  try {
    registry().add(candidate, source)
  } catch (error) {
    if (error instanceof PluginLoadError) return error
    throw error
  }
  throw new Error('the plugin was accepted')
}

test.group('Plugin loader refusals', () => {
  test('a valid manifest is registered and looked up by kind and id', ({ assert }) => {
    const plugins = registry()
    plugins.add(definePlugin(valid() as any), 'plugins/echo-channel')
    assert.instanceOf(plugins.channels.get('echo-channel'), EchoChannel)
    assert.isUndefined(plugins.ai.find('echo-channel'))
    assert.throws(() => plugins.isp.get('echo-channel'), /No isp plugin "echo-channel"/)
    assert.deepEqual(plugins.catalogue()[0].config, [
      { name: 'token', type: 'string', label: 'Token', help: null, required: true, secret: true, placeholder: null, default: null },
    ])
  })

  test('{name} is refused with the plugin and the reason')
    .with([
      { name: 'an id that is not kebab-case', manifest: valid({ id: 'Echo_Channel' }), reason: /Plugin "Echo_Channel".*id must be kebab-case/ },
      { name: 'an unknown kind', manifest: valid({ kind: 'crm' }), reason: /Plugin "echo-channel".*kind must be one of/ },
      { name: 'a missing name', manifest: valid({ name: '' }), reason: /name is required/ },
      { name: 'a version that is not semver', manifest: valid({ version: 'v1' }), reason: /version must be a semver version/ },
      { name: 'an invalid SDK range', manifest: valid({ sdk: 'latest!' }), reason: /sdk must be a semver range/ },
      {
        name: 'an SDK range this core does not satisfy',
        manifest: valid({ sdk: '^2.0.0' }),
        reason: new RegExp(`written for SDK \\^2\\.0\\.0, but this NioChat provides SDK ${SDK_VERSION.replace(/\./g, '\\.')}`),
      },
      { name: 'no register()', manifest: valid({ register: undefined }), reason: /register\(container\) is required/ },
      { name: 'a register() that binds nothing', manifest: valid({ register() {} }), reason: /must bind its adapter with container.register\(TOKENS.channel/ },
      { name: 'a config field without a label', manifest: valid({ config: { token: { type: 'string' } } }), reason: /config field "token" needs a label/ },
      { name: 'a config field of an unknown type', manifest: valid({ config: { when: { type: 'date', label: 'When' } } }), reason: /unknown type "date"/ },
      { name: 'a select without options', manifest: valid({ config: { mode: { type: 'select', label: 'Mode', options: [] } } }), reason: /select without options/ },
      { name: 'a non-function lifecycle hook', manifest: valid({ boot: 'yes' }), reason: /boot must be a function/ },
    ])
    .run(({ assert }, row) => {
      const error = refusal(row.manifest)
      assert.match(error.message, row.reason)
    })

  test('a module without a default export is refused with its source', ({ assert }) => {
    assert.match(refusal(undefined, 'plugins/empty').message, /Plugin "plugins\/empty".*default-export definePlugin/)
  })

  test('two plugins with the same id are refused', ({ assert }) => {
    const plugins = registry()
    plugins.add(valid(), 'plugins/echo-channel')
    assert.throws(() => plugins.add(valid(), 'npm package echo-channel'), /id is already used by the plugin loaded from plugins\/echo-channel/)
  })

  test('a failing boot() stops start-up naming the plugin', async ({ assert }) => {
    const plugins = registry()
    plugins.add(valid({ boot: () => Promise.reject(new Error('missing binary')) }), 'plugins/echo-channel')
    await assert.rejects(() => plugins.boot(), /Plugin "echo-channel" cannot be loaded: boot\(\) failed: missing binary/)
  })

  test('the loader refuses a missing folder, a folder/id mismatch and an unknown package', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'niochat-plugins-'))
    mkdirSync(join(dir, 'other-name'))
    writeFileSync(
      join(dir, 'other-name', 'plugin.js'),
      `export default { id: 'echo-channel', kind: 'channel', name: 'Echo', version: '1.0.0', sdk: '^1.0.0', config: {},
        register(c) { c.register(Symbol.for('niochat.channel'), { useValue: { capabilities: {} } }) } }`
    )
    await assert.rejects(() => loadPlugins(registry(), { local: ['missing'], packages: [] }, dir), /Plugin "missing".*plugins\/missing\/plugin.ts was not found/)
    await assert.rejects(() => loadPlugins(registry(), { local: ['other-name'], packages: [] }, dir), /its id "echo-channel" must match its folder name/)
    await assert.rejects(
      () => loadPlugins(registry(), { local: [], packages: ['niochat-plugin-that-does-not-exist'] }, dir),
      /Plugin "niochat-plugin-that-does-not-exist" cannot be loaded: it failed to import/
    )
  })

  test('each plugin gets its own child container with the host logger', ({ assert }) => {
    const plugins = registry()
    const a = plugins.add(valid(), 'plugins/a')
    const b = plugins.add(valid({ id: 'other-channel' }), 'plugins/b')
    assert.notStrictEqual(a.container, b.container)
    assert.isTrue(a.container.isRegistered(TOKENS.logger))
    assert.isFalse(container.isRegistered(TOKENS.channel))
  })
})
