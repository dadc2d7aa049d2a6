import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { databaseUrl, redisOptions } from '#config/connections'
import { freePort } from '#tests/helpers/ports'

/**
 * `make:plugin` proves the kernel's promise: a new plugin is one folder plus one line in
 * config/plugins.ts. It runs in a copy of the project (sharing node_modules), makes a channel, an AI
 * and an ISP plugin there, checks nothing else changed, and runs the generated tests in the copy.
 * Its own suite, run before the functional one: nothing of other tests is still running in this
 * process while the nested test run works beside it.
 */
const COPIED = ['app', 'bin', 'commands', 'config', 'database', 'plugins', 'providers', 'resources', 'start', 'stubs', 'tests', 'ace.js', 'adonisrc.ts', 'package.json', 'tsconfig.json', 'vite.config.ts', '.env', '.env.test']

function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...process.env, ...env }, timeout: 150_000, maxBuffer: 20 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` })
    )
  })
}

async function fingerprint(root: string, skip: (path: string) => boolean) {
  const sums = new Map<string, string>()
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      const rel = relative(root, path)
      // .adonisjs holds type indexes every ace run regenerates: not written by make:plugin.
      if (entry.name === 'node_modules' || rel.startsWith('tmp') || rel.startsWith('.adonisjs') || skip(rel)) continue
      if (entry.isDirectory()) await walk(path)
      else sums.set(rel, createHash('sha1').update(await readFile(path)).digest('hex'))
    }
  }
  await walk(root)
  return sums
}

test.group('make:plugin', (group) => {
  let copy: string
  group.setup(async () => {
    copy = await mkdtemp(join(tmpdir(), 'niochat-scaffold-'))
    for (const entry of COPIED) {
      const source = app.makePath(entry)
      if (existsSync(source)) await cp(source, join(copy, entry), { recursive: true, filter: (path) => !path.includes('screenshots') })
    }
    await symlink(app.makePath('node_modules'), join(copy, 'node_modules'))
    return () => rm(copy, { recursive: true, force: true })
  })

  test('refuses a bad name, an unknown kind and an existing plugin, changing nothing', async ({ assert }) => {
    const before = await readFile(join(copy, 'config/plugins.ts'), 'utf8')
    const bad = await run(copy, ['ace', 'make:plugin', '9lives', '--kind', 'channel'])
    assert.equal(bad.code, 1)
    assert.include(bad.output, 'cannot be a plugin id')
    const kind = await run(copy, ['ace', 'make:plugin', 'acme', '--kind', 'crm'])
    assert.include(kind.output, '--kind must be one of channel, ai, isp')
    const existing = await run(copy, ['ace', 'make:plugin', 'evolution', '--kind', 'channel'])
    assert.include(existing.output, 'plugins/evolution already exists')
    assert.equal(await readFile(join(copy, 'config/plugins.ts'), 'utf8'), before)
  })

  test('scaffolds working channel, AI and ISP plugins: one folder and one config line each', async ({ assert }) => {
    const made = ['acme-chat', 'acme-ai', 'acme-isp']
    const untouched = (rel: string) => made.some((id) => rel.startsWith(join('plugins', id))) || rel === join('config', 'plugins.ts')
    const before = await fingerprint(copy, untouched)

    for (const [id, kind] of [['acme-chat', 'channel'], ['acme-ai', 'ai'], ['acme-isp', 'isp']]) {
      const result = await run(copy, ['ace', 'make:plugin', id, '--kind', kind])
      assert.equal(result.code, 0, result.output)
    }
    assert.deepEqual(await fingerprint(copy, untouched), before, 'only plugins/<id> and config/plugins.ts may change')
    const config = await readFile(join(copy, 'config/plugins.ts'), 'utf8')
    for (const id of made) assert.include(config, `'${id}',`)

    // The generated tests, in the copy, against their own database and Redis database.
    const port = String(await freePort())
    const database = new URL(databaseUrl())
    database.pathname = `${database.pathname}_scaffold`
    // Another Redis database than ours, so the nested run's flush does not empty our queues.
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
    redis.pathname = `/${(redisOptions().db + 8) % 16}`
    const env = { TEST_DATABASE_URL: database.toString(), REDIS_URL: redis.toString(), PORT: port, APP_URL: `http://127.0.0.1:${port}`, LOG_FILE: 'tmp/logs/test.log' }
    const services = await run(copy, ['bin/services.js', '--test', '--quiet'], env)
    assert.equal(services.code, 0, services.output)
    const files = ['acme-chat/tests/conformance.spec.ts', 'acme-ai/tests/acme_ai_adapter.spec.ts', 'acme-isp/tests/acme_isp_adapter.spec.ts']
    const tests = await run(copy, ['ace', 'test', 'functional', ...files.map((file) => `--files=plugins/${file}`)], env)
    assert.equal(tests.code, 0, tests.output.slice(-4000))
    assert.include(tests.output, 'acme-chat plugin conformance')
    assert.include(tests.output, 'acme-ai AI plugin')
    assert.include(tests.output, 'acme-isp ISP plugin')
    assert.notInclude(tests.output, 'failed')
  }).timeout(240_000)
})
