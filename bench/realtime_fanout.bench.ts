/*
 * Realtime fan-out: 50 providers × 20 and then × 100 SSE clients (1,000 and 5,000) on one web
 * instance, each subscribed to its provider's supervision channel, while WhatsApp webhooks arrive at
 * 200 messages/s spread over the providers (posted by bench/realtime_publisher.ts through the real
 * ingest: contact, conversation, message, realtime event numbered after commit, Transmit broadcast).
 * Prints p50/p99 webhook-to-client latency of the message.created events and the web process's RSS.
 *
 * Processes: this driver (the SSE clients), the web instance (bench/realtime_server.ts) and the
 * publisher; the open-files limit is raised to the hard limit for each.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { EventSource } from 'eventsource'

const PORT = Number(process.env.BENCH_PORT ?? 3499)
const BASE = `http://127.0.0.1:${PORT}`
const PROVIDERS = 50
const STEPS = [20, 100]
const RATE = 200
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)


function withUlimit(command: string[]): ChildProcess {
  const script = `ulimit -n "$(ulimit -Hn)"; exec ${command.map((c) => `'${c}'`).join(' ')}`
  return spawn('sh', ['-c', script], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', WORKER_IN_WEB: 'false' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
}

function rssMb(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function waitForServer() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${BASE}/health/live`)).ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('web instance did not start')
}

interface Client {
  source: EventSource
  latencies: number[]
}

/** A message.created frame carries, in its text, when its webhook left the publisher. */
function record(data: string, latencies: number[]) {
  const frame = JSON.parse(data)?.payload
  if (frame?.event !== 'message.created') return
  const match = /^bench (\d+(?:\.\d+)?)$/.exec(frame.payload?.message?.content ?? '')
  if (match) latencies.push(performance.timeOrigin + performance.now() - Number(match[1]))
}

async function openClient(userId: number, providerId: number, latencies: number[]): Promise<Client> {
  const login = await fetch(`${BASE}/__bench/session?userId=${userId}`, { redirect: 'manual' })
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0])
  const cookie = cookies.join('; ')
  const xsrf = decodeURIComponent(cookies.find((c) => c.startsWith('XSRF-TOKEN='))!.slice('XSRF-TOKEN='.length))
  const uid = crypto.randomUUID()
  const source = new EventSource(`${BASE}/__transmit/events?uid=${uid}`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as any), cookie } }),
  })
  await new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve()
    source.onerror = (e) => reject(new Error(`SSE error ${String((e as any).message ?? '')}`))
  })
  source.onmessage = (message) => record(message.data, latencies)
  const subscribed = await fetch(`${BASE}/__transmit/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-xsrf-token': xsrf },
    body: JSON.stringify({ uid, channel: `providers/${providerId}/supervision` }),
  })
  if (subscribed.status !== 204) throw new Error(`subscribe answered ${subscribed.status}`)
  return { source, latencies }
}

async function main() {
  const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], { stdio: 'inherit' })
  if (migrate.status !== 0) throw new Error('migrations failed')

  const server = withUlimit([process.execPath, '--import', '@poppinss/ts-exec', 'bench/realtime_server.ts'])
  const publisher = withUlimit([process.execPath, '--import', '@poppinss/ts-exec', 'bench/realtime_publisher.ts'])
  const lines = createInterface({ input: publisher.stdout! })
  const nextLine = (prefix: string) =>
    new Promise<string>((resolve) => {
      const onLine = (line: string) => {
        if (line.startsWith(prefix)) {
          lines.off('line', onLine)
          resolve(line.slice(prefix.length).trim())
        }
      }
      lines.on('line', onLine)
    })
  try {
    const setup = JSON.parse(await nextLine('READY')) as { providerId: number; userId: number }[]
    await waitForServer()
    publisher.stdin!.write('warm\n')
    console.log(`warm-up: ${await nextLine('WARM')} customers have an open conversation`)
    console.log(`web instance pid ${server.pid}, idle RSS ${rssMb(server.pid!).toFixed(0)} MB`)

    const clients: Client[] = []
    for (const perProvider of STEPS) {
      const latencies: number[] = []
      for (const client of clients) client.latencies = latencies
      while (clients.length < PROVIDERS * perProvider) {
        const batch = []
        for (let i = 0; i < 100 && clients.length + batch.length < PROVIDERS * perProvider; i++) {
          const target: { providerId: number; userId: number } = setup[(clients.length + batch.length) % setup.length]
          batch.push(openClient(target.userId, target.providerId, latencies))
        }
        clients.push(...(await Promise.all(batch)))
      }
      for (const client of clients) client.source.onmessage = ((message: MessageEvent) => record(message.data, client.latencies)) as any
      const rssConnected = rssMb(server.pid!)
      publisher.stdin!.write(`go ${RATE} ${SECONDS}\n`)
      let peak = rssConnected
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 250)
      const sent = Number(await nextLine('SENT'))
      await new Promise((resolve) => setTimeout(resolve, 2000))
      clearInterval(sampler)
      const sorted = latencies.sort((a, b) => a - b)
      const expected = sent * perProvider
      if (!sorted.length) throw new Error('no message.created event reached the clients')
      console.log(
        `${clients.length} clients (${PROVIDERS} providers × ${perProvider}), ${RATE} webhooks/s for ${SECONDS} s (${sent} accepted): ` +
          `delivered ${sorted.length}/${expected}, latency p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; ` +
          `web RSS ${rssConnected.toFixed(0)} MB connected, ${peak.toFixed(0)} MB peak under load`
      )
    }
    for (const client of clients) client.source.close()
  } finally {
    publisher.stdin!.write('quit\n')
    server.kill('SIGTERM')
    setTimeout(() => publisher.kill('SIGTERM'), 2000).unref()
  }
}

main().then(
  () => setTimeout(() => process.exit(0), 500),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
