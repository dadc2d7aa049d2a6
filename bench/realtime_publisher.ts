/*
 * The webhook side of bench/realtime_fanout.bench.ts, in its own process: boots the app (no HTTP
 * server) to create the bench providers, their supervisors and one Evolution inbox each, then on
 * "go <rate> <seconds>" posts recorded Evolution text webhooks to the web instance, spread over the
 * providers and their customers. Each message's text carries the moment its webhook left, so the
 * clients can measure webhook-to-event latency. "warm" first gives every customer an open conversation.
 */
await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { APP_ROOT, importer } = await import('../bin/app_root.js')
const { createInterface } = await import('node:readline')
const { BENCH_EVOLUTION, evolutionText } = await import('./evolution_payloads.js')

const app = new Ignitor(APP_ROOT, { importer })
  .tap((a) => a.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()
await app.start(async () => {})

const { default: Provider } = await import('#models/provider')
const { default: User } = await import('#models/user')
const { default: Membership } = await import('#models/membership')
const { default: inboxes } = await import('#services/inbox_service')

const BASE = `http://127.0.0.1:${process.env.PORT}`
const providerCount = Number(process.env.BENCH_PROVIDERS ?? 50)
const CUSTOMERS_PER_PROVIDER = 20
const stamp = Date.now()
const setup: { providerId: number; userId: number; webhook: string }[] = []
for (let i = 0; i < providerCount; i++) {
  const provider = await Provider.create({ name: `bench-${stamp}-${i}`, timezone: 'America/Sao_Paulo', locale: 'pt-BR', businessHours: {}, plans: [], fees: [], documents: [], persona: {}, settings: {} })
  const user = await User.create({ name: `Bench ${i}`, email: `bench-${stamp}-${i}@example.com`, password: `bench-${stamp}`, isSuperadmin: false, locale: 'pt-BR', theme: 'system', notificationSound: false })
  await Membership.create({ providerId: provider.id, userId: user.id, role: 'supervisor' })
  // Nothing listens at this address: the ingest path never calls the provider (webhook registration fails fast).
  const { inbox } = await inboxes.create({ userId: user.id }, provider.id, { name: 'Bench WhatsApp', plugin: 'evolution', config: { baseUrl: 'http://127.0.0.1:9', ...BENCH_EVOLUTION } })
  setup.push({ providerId: provider.id, userId: user.id, webhook: `${BASE}/webhooks/evolution/${inbox.webhookKey}` })
}
process.stdout.write(`READY ${JSON.stringify(setup.map(({ providerId, userId }) => ({ providerId, userId })))}\n`)

let sequence = 0
/** Message n goes to provider n mod providers, from one of its customers in turn. */
function post(n: number) {
  const target = setup[n % setup.length]
  const contact = (n % setup.length) * CUSTOMERS_PER_PROVIDER + (Math.floor(n / setup.length) % CUSTOMERS_PER_PROVIDER)
  const sentAt = performance.timeOrigin + performance.now()
  const body = evolutionText({ id: `RT${stamp}${(sequence++).toString(16).toUpperCase()}`, contact, text: `bench ${sentAt}` })
  return fetch(target.webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
    (response) => response.arrayBuffer().then(() => response.ok),
    () => false
  )
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, rateText, secondsText] = line.trim().split(' ')
  if (command === 'quit') break
  if (command === 'warm') {
    const results = await Promise.all(Array.from({ length: setup.length * CUSTOMERS_PER_PROVIDER }, (_, n) => post(n)))
    process.stdout.write(`WARM ${results.filter(Boolean).length}\n`)
    continue
  }
  if (command !== 'go') continue
  const rate = Number(rateText)
  const total = Math.round(rate * Number(secondsText))
  const start = performance.now()
  const answers: Promise<boolean>[] = []
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    // Not awaited in sequence with the schedule: a slow answer must not slow the offered rate.
    answers.push(post(n))
  }
  const accepted = (await Promise.all(answers)).filter(Boolean).length
  process.stdout.write(`SENT ${accepted}\n`)
}
await app.terminate()
process.exit(0)
