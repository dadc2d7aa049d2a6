/*
 * Webhook ingest: recorded Evolution text messages from 2,000 different contacts posted to the real
 * web instance (bench/ingest_server.ts: verify → parse → contact → conversation → message → realtime
 * events → commit), side by side with a floor measured in the same run (bench/ingest_floor.ts: a bare
 * Node server doing one INSERT and one Redis PUBLISH per request).
 *
 * Two measurements per target: throughput with 32 requests in flight, and latency (p50/p99) at a fixed
 * 500 messages/s. Targets (issue 3): throughput ≥ 50 % of the floor's, p99 < 50 ms at 500/s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'

const PORT = Number(process.env.BENCH_PORT ?? 3498)
const BASE = `http://127.0.0.1:${PORT}`
const CONCURRENCY = 32
const THROUGHPUT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000)
const RATE = 500
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONTACTS = 2000

const template = JSON.parse(
  readFileSync(new URL('../../shared/fixtures/evolution-messages-upsert-text.json', import.meta.url), 'utf8')
)
let sequence = 0
function payload() {
  const n = sequence++
  const body = structuredClone(template)
  // The bench inbox's key and instance (bench/ingest_server.ts): Evolution's webhook check compares them.
  body.apikey = 'bench-key'
  body.instance = 'provedor-fibra'
  const phone = `55119${String(10_000_000 + (n % CONTACTS)).padStart(8, '0')}`
  body.data.key.id = `BENCH${process.pid}${n.toString(16).toUpperCase().padStart(10, '0')}`
  body.data.key.remoteJid = `${phone}@s.whatsapp.net`
  body.data.key.remoteJidAlt = `${1000000 + (n % CONTACTS)}@lid`
  body.data.messageTimestamp = Math.floor(Date.now() / 1000)
  return JSON.stringify(body)
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

async function post(url: string, body: string) {
  const started = performance.now()
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${url}`)
  return performance.now() - started
}

async function throughput(url: string) {
  let sent = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < THROUGHPUT_REQUESTS) {
        sent++
        await post(url, payload())
      }
    })
  )
  return THROUGHPUT_REQUESTS / ((performance.now() - started) / 1000)
}

/** Open loop: requests leave on schedule whether or not earlier ones answered; failures are counted, not fatal. */
async function paced(url: string) {
  const latencies: number[] = []
  const pending: Promise<void>[] = []
  let failed = 0
  const total = RATE * SECONDS
  const started = performance.now()
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    pending.push(post(url, payload()).then((ms) => void latencies.push(ms), () => void failed++))
  }
  await Promise.all(pending)
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length, failed }
}

function start(command: string[], env: Record<string, string>) {
  return spawn(process.execPath, ['--import', '@poppinss/ts-exec', ...command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

async function waitFor(check: () => Promise<boolean>) {
  for (let i = 0; i < 300; i++) {
    try {
      if (await check()) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('a bench process did not start')
}

const children: ChildProcess[] = []
try {
  const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], { stdio: 'inherit' })
  if (migrate.status !== 0) throw new Error('migrations failed')

  const floor = start(['bench/ingest_floor.ts'], {})
  children.push(floor)
  const floorPort = await new Promise<number>((resolve) => {
    createInterface({ input: floor.stdout! }).on('line', (line) => {
      const match = /^ready (\d+)/.exec(line)
      if (match) resolve(Number(match[1]))
    })
  })
  const floorUrl = `http://127.0.0.1:${floorPort}/`

  const web = start(['bench/ingest_server.ts'], { PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', WORKER_IN_WEB: 'false' })
  children.push(web)
  await waitFor(async () => (await fetch(`${BASE}/health/live`)).ok)
  const setup = (await (await fetch(`${BASE}/api/__bench/setup`, { method: 'POST', headers: { authorization: 'Bearer bench' } })).json()) as { path: string }
  const ingestUrl = `${BASE}${setup.path}`

  // Warm both (JIT, connection pools).
  for (let i = 0; i < 300; i++) {
    await post(floorUrl, payload())
    await post(ingestUrl, payload())
  }

  const floorRate = await throughput(floorUrl)
  const ingestRate = await throughput(ingestUrl)
  const floorLatency = await paced(floorUrl)
  const ingestLatency = await paced(ingestUrl)

  const fmt = (n: number) => n.toFixed(1)
  console.log(`contacts: ${CONTACTS}, throughput: ${THROUGHPUT_REQUESTS} requests with ${CONCURRENCY} in flight; latency: ${RATE}/s for ${SECONDS} s`)
  console.log(`floor  (bare node: 1 INSERT + 1 PUBLISH): ${fmt(floorRate)} msg/s   p50 ${fmt(floorLatency.p50)} ms   p99 ${fmt(floorLatency.p99)} ms`)
  console.log(`ingest (webhook route, full pipeline):    ${fmt(ingestRate)} msg/s   p50 ${fmt(ingestLatency.p50)} ms   p99 ${fmt(ingestLatency.p99)} ms`)
  if (floorLatency.failed || ingestLatency.failed) {
    console.log(`failed at ${RATE}/s (connection refused or timed out: the target could not keep up): floor ${floorLatency.failed}, ingest ${ingestLatency.failed} of ${RATE * SECONDS}`)
  }
  console.log(`ratio ingest/floor throughput: ${(ingestRate / floorRate * 100).toFixed(1)} % (target ≥ 50 %)   p99 at ${RATE}/s: ${fmt(ingestLatency.p99)} ms (target < 50 ms)`)
  console.log(
    'where the time goes (per ingested message, from the code path): 1 dedupe SELECT, then one transaction with an ' +
      'advisory lock, identity lookup, conversation SELECT FOR UPDATE, message INSERT ... ON CONFLICT, conversation ' +
      'UPDATE, contact UPDATE, outbox INSERT and one realtime event per audience (provider counter upsert + event ' +
      'INSERT each); a new contact adds contact and identity INSERTs and the AI-setting lookup.'
  )
  console.log(
    'the limit: realtime events are numbered per provider by a counter row that stays locked until the transaction ' +
      'commits (so catch-up never skips a number), which makes every ingest of one provider wait for the previous ' +
      "one's commit (an fsync): throughput ≈ 1 / (commit time), whatever the concurrency. All messages here go to one " +
      'provider. Next step: number events outside the ingest transaction (a sequence plus an overlap window in ' +
      'catch-up), so commits of one provider run in parallel and group-commit.'
  )
} finally {
  for (const child of children) child.kill('SIGTERM')
}
