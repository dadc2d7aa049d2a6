/**
 * Dashboard query latency on a large history (`npm run bench -- metrics`).
 *
 * Creates (once) a separate database, `niochat_bench` on the server of DATABASE_URL, migrates it,
 * fills it with ≥100k conversations and ≥1M messages over a year across four providers of different
 * sizes (bench/metrics_data.ts), then runs every dashboard query of the metrics service and the
 * inbox's conversation list 50 times each for the largest provider and prints p50/p95. Target: p95 under
 * 50 ms for each. Any query that misses gets its EXPLAIN (ANALYZE, BUFFERS) printed.
 *
 * BENCH_REGENERATE=1 rebuilds the data set; BENCH_DATABASE_URL points somewhere else.
 */
import { spawnSync } from 'node:child_process'
import pg from 'pg'

const RUNS = 50
const WARMUP = 3
const TARGET_P95_MS = 50

const mainUrl = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/niochat')
const benchUrl = new URL(process.env.BENCH_DATABASE_URL || mainUrl.toString())
if (!process.env.BENCH_DATABASE_URL) benchUrl.pathname = '/niochat_bench'

async function ensureDatabase(url: URL) {
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  const name = url.pathname.slice(1)
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  if (!exists.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
  await client.end()
}

await ensureDatabase(benchUrl)
process.env.DATABASE_URL = benchUrl.toString()

// Migrations through Ace, exactly as a deployment runs them.
const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
  env: { ...process.env, DATABASE_URL: benchUrl.toString() },
  encoding: 'utf8',
})
if (migrate.status !== 0) {
  console.error(migrate.stdout, migrate.stderr)
  process.exit(1)
}

// Boot the app (no HTTP server) so the benchmark runs the service's own SQL.
await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { APP_ROOT, importer } = await import('../bin/app_root.js')
const app = new Ignitor(APP_ROOT, { importer })
  .tap((application) => application.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: metrics } = await import('#services/metrics_service')
const { default: Provider } = await import('#models/provider')
const { DEFAULT_SHAPE, generateBenchData, hasBenchData } = await import('./metrics_data.js')

const client = db.connection()
if (process.env.BENCH_REGENERATE || !(await hasBenchData(client, DEFAULT_SHAPE))) {
  console.log(`generating ${DEFAULT_SHAPE.providers.reduce((a, b) => a + b, 0)} conversations...`)
  const started = Date.now()
  await generateBenchData(client, DEFAULT_SHAPE)
  console.log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
const counts = await client.rawQuery(
  `SELECT (SELECT count(*) FROM providers) AS providers, (SELECT count(*) FROM conversations) AS conversations,
          (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM csat_surveys) AS surveys`
)
console.log('data set:', counts.rows[0])

const largest = await client.rawQuery(
  'SELECT provider_id FROM conversations GROUP BY provider_id ORDER BY count(*) DESC LIMIT 1'
)
const provider = await Provider.findOrFail(Number(largest.rows[0].provider_id))

function percentile(sorted: number[], p: number) {
  const rank = (sorted.length - 1) * p
  const low = Math.floor(rank)
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (rank - low)
}

async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    await fn()
    samples.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) }
}

async function explain(sql: string, bindings: unknown[]) {
  const plan = await db.rawQuery(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, bindings as any)
  console.log(plan.rows.map((row: any) => `      ${row['QUERY PLAN']}`).join('\n'))
}

const results: { name: string; p50: number; p95: number; statement?: [string, unknown[]] }[] = []
const periods: [string, string, string][] = [
  ['30 days', DateTimeISO(-29), DateTimeISO(0)],
  ['365 days', DateTimeISO(-364), DateTimeISO(0)],
]
function DateTimeISO(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)
}

for (const [label, from, to] of periods) {
  const scope = metrics.scope(provider, { from, to })
  const queries = metrics.queries(scope)
  const statements = metrics.statements(scope)
  for (const [name, fn] of Object.entries(queries)) {
    results.push({ name: `${label} ${name}`, statement: statements[name as keyof typeof statements], ...(await time(fn)) })
  }
  const agentScope = metrics.scope(provider, { from, to, agent: Number((await db.from('memberships').where('provider_id', provider.id).first()).user_id) })
  const filtered = metrics.queries(agentScope)
  const filteredStatements = metrics.statements(agentScope)
  for (const name of ['created', 'resolved', 'messages', 'csat'] as const) {
    results.push({ name: `${label} ${name} (agent filter)`, statement: filteredStatements[name], ...(await time(filtered[name])) })
  }
  // The whole endpoint: every query above, run two batches at a time over the pool.
  results.push({ name: `${label} GET metrics (all queries)`, ...(await time(() => metrics.overview(scope))) })
}

// The inbox's conversation list: one status, newest activity first, first page with the contact.
for (const status of ['open', 'pending', 'bot', 'resolved']) {
  const sql = `SELECT c.id, c.status, c.assignee_id, c.team_id, c.last_activity_at, c.last_message_preview, c.unread_count,
              ct.name AS contact_name, ct.phone AS contact_phone
       FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
       WHERE c.provider_id = ? AND c.status = ?
       ORDER BY c.last_activity_at DESC, c.id DESC
       LIMIT 25`
  const bindings = [provider.id, status]
  results.push({ name: `inbox list status=${status}`, statement: [sql, bindings], ...(await time(() => db.rawQuery(sql, bindings))) })
}

console.log(`\nprovider ${provider.id} (largest), ${RUNS} runs each, ms:`)
console.log(`${'query'.padEnd(52)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`)
for (const result of results) {
  const flag = result.p95 > TARGET_P95_MS ? '  MISS' : ''
  console.log(`${result.name.padEnd(52)} ${result.p50.toFixed(2).padStart(8)} ${result.p95.toFixed(2).padStart(8)}${flag}`)
}
const misses = results.filter((r) => r.p95 > TARGET_P95_MS)
for (const miss of misses.filter((r) => r.statement)) {
  console.log(`\nEXPLAIN ${miss.name}:`)
  await explain(...miss.statement!)
}
console.log(
  misses.length ? `\n${misses.length} queries over the ${TARGET_P95_MS} ms p95 target` : `\nevery query under the ${TARGET_P95_MS} ms p95 target`
)

await app.terminate()
process.exit(0)
