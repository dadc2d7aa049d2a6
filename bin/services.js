#!/usr/bin/env node
/**
 * Makes sure the services NioChat needs are there before `npm run dev`, `npm test` and `npm run bench`:
 *
 *  - a `.env` (created from `.env.example` with a fresh APP_KEY when missing);
 *  - PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/niochat) and Redis at
 *    REDIS_URL (default redis://127.0.0.1:6379): a local server that is installed but stopped is
 *    started; a missing one is installed with apt on Debian/Ubuntu when we run as root; anywhere else
 *    we stop with one sentence saying what is missing and how to get it;
 *  - the database (and, with --test, the test database) exists.
 *
 * Plain JavaScript on purpose: it runs before anything else and must not depend on the TypeScript
 * loader. Only Node built-ins and the `pg` driver are used.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

const ROOT = new URL('../', import.meta.url)
const TEST = process.argv.includes('--test')
const QUIET = process.argv.includes('--quiet')
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/niochat'
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

const say = (message) => QUIET || console.log(`[services] ${message}`)

function fail(sentence) {
  console.error(`[services] ${sentence}`)
  process.exit(1)
}

/** Reads KEY=VALUE lines; enough for .env files we write ourselves (no interpolation needed here). */
function readEnvFile(path) {
  if (!existsSync(path)) return {}
  const values = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/)
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return values
}

function ensureDotEnv() {
  const envPath = new URL('.env', ROOT)
  if (existsSync(envPath)) return
  const example = new URL('.env.example', ROOT)
  const template = existsSync(example) ? readFileSync(example, 'utf8') : 'NODE_ENV=development\n'
  const appKey = randomBytes(32).toString('base64url')
  writeFileSync(envPath, template.replace(/^APP_KEY=.*$/m, `APP_KEY=${appKey}`))
  say('created .env from .env.example with a new APP_KEY')
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(host, port)) return true
    await sleep(250)
  }
  return false
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0
const isDebian = () => existsSync('/etc/debian_version') && has('apt-get')

function aptInstall(packages, what) {
  if (!isDebian() || !isRoot()) return false
  say(`${what} is not installed: installing it with apt-get (${packages.join(' ')})...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: QUIET ? 'ignore' : 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: QUIET ? 'ignore' : 'inherit', env })
  return true
}

function postgresClusters() {
  if (!existsSync('/etc/postgresql')) return []
  return readdirSync('/etc/postgresql').filter((version) => /^\d+$/.test(version))
}

function startPostgres() {
  const versions = postgresClusters()
  if (versions.length && has('pg_ctlcluster')) {
    const version = versions.sort((a, b) => Number(b) - Number(a))[0]
    say(`starting the local PostgreSQL ${version} cluster...`)
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' })
    return true
  }
  return false
}

async function ensurePostgres(url) {
  const host = url.hostname
  const port = Number(url.port || 5432)
  if (await canConnect(host, port)) return
  if (!isLocal(host)) {
    fail(`PostgreSQL is not reachable at ${host}:${port}: start it, or set DATABASE_URL to a running server.`)
  }
  if (!startPostgres()) {
    const installed = aptInstall(['postgresql'], 'PostgreSQL')
    if (!installed) {
      fail(
        'PostgreSQL is missing: install PostgreSQL 15 or newer (on Debian/Ubuntu: `sudo apt-get install postgresql`) ' +
          'or set DATABASE_URL to a running server.'
      )
    }
    startPostgres()
  }
  if (!(await waitFor(host, port, 30))) {
    fail(`PostgreSQL did not come up on ${host}:${port}; see its log under /var/log/postgresql.`)
  }
}

async function ensureRedis(url) {
  const host = url.hostname
  const port = Number(url.port || 6379)
  if (await canConnect(host, port)) return
  if (!isLocal(host)) {
    fail(`Redis is not reachable at ${host}:${port}: start it, or set REDIS_URL to a running server.`)
  }
  if (!has('redis-server') && !aptInstall(['redis-server'], 'Redis')) {
    fail(
      'Redis is missing: install Redis 6.2 or newer (on Debian/Ubuntu: `sudo apt-get install redis-server`) ' +
        'or set REDIS_URL to a running server.'
    )
  }
  say(`starting a local Redis on port ${port}...`)
  spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'inherit' }
  )
  if (!(await waitFor(host, port, 15))) fail(`Redis did not come up on ${host}:${port}.`)
}

async function ensureDatabase(url) {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!name) return
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  try {
    await client.connect()
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
      say(`created database ${name}`)
    }
  } catch (error) {
    await client.end().catch(() => {})
    // A fresh Debian PostgreSQL asks for a password on TCP; on a local dev/CI box we may trust it.
    if (['28P01', '28000'].includes(error.code) && isLocal(url.hostname) && !url.password && trustLocalPostgres()) {
      return ensureDatabase(url)
    }
    fail(`Could not prepare database "${name}" at ${url.host}: ${error.message}`)
  } finally {
    await client.end().catch(() => {})
  }
}

let triedTrust = false
function trustLocalPostgres() {
  const versions = postgresClusters()
  if (triedTrust || !versions.length || !isRoot()) return false
  triedTrust = true
  const version = versions.sort((a, b) => Number(b) - Number(a))[0]
  const hbaPath = `/etc/postgresql/${version}/main/pg_hba.conf`
  if (!existsSync(hbaPath)) return false
  const rules = 'host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n'
  const current = readFileSync(hbaPath, 'utf8')
  if (current.includes(rules)) return false
  say(`allowing user "postgres" from 127.0.0.1 without a password in ${hbaPath} (local development only)`)
  writeFileSync(hbaPath, `# added by NioChat's services script\n${rules}${current}`)
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'reload'], { stdio: 'inherit' })
  return true
}

function testDatabaseUrl(mainUrl, values) {
  if (values.TEST_DATABASE_URL) return new URL(values.TEST_DATABASE_URL)
  const url = new URL(mainUrl)
  url.pathname = `/${url.pathname.replace(/^\//, '') || 'niochat'}_test`
  return url
}

ensureDotEnv()
const fileValues = { ...readEnvFile(new URL('.env', ROOT)), ...(TEST ? readEnvFile(new URL('.env.test', ROOT)) : {}) }
const values = { ...fileValues, ...process.env }
const databaseUrl = new URL(values.DATABASE_URL || DEFAULT_DATABASE_URL)
const redisUrl = new URL(values.REDIS_URL || DEFAULT_REDIS_URL)

await ensurePostgres(databaseUrl)
await ensureRedis(redisUrl)
await ensureDatabase(TEST ? testDatabaseUrl(databaseUrl, values) : databaseUrl)
say(`PostgreSQL ${databaseUrl.host} and Redis ${redisUrl.host} are ready`)
