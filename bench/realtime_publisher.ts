/*
 * The publishing side of bench/realtime_fanout.bench.ts, in its own process: boots the app (no HTTP
 * server), creates the bench providers and supervisors, then on "go <rate> <seconds>" publishes
 * `message.created` events through the realtime service (stored with a sequence number, broadcast
 * through Transmit's Redis transport to the web instance), spread over the providers.
 */
await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { APP_ROOT, importer } = await import('../bin/app_root.js')
const { createInterface } = await import('node:readline')

const app = new Ignitor(APP_ROOT, { importer })
  .tap((a) => a.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()
await app.start(async () => {})

const { default: Provider } = await import('#models/provider')
const { default: User } = await import('#models/user')
const { default: Membership } = await import('#models/membership')
const { default: realtime } = await import('#services/realtime_service')
const { channels } = await import('#realtime/channels')

const providerCount = Number(process.env.BENCH_PROVIDERS ?? 50)
const stamp = Date.now()
const setup: { providerId: number; userId: number }[] = []
for (let i = 0; i < providerCount; i++) {
  const provider = await Provider.create({ name: `bench-${stamp}-${i}`, timezone: 'America/Sao_Paulo', locale: 'pt-BR', businessHours: {}, plans: [], fees: [], documents: [], persona: {}, settings: {} })
  const user = await User.create({ name: `Bench ${i}`, email: `bench-${stamp}-${i}@example.com`, password: `bench-${stamp}`, isSuperadmin: false, locale: 'pt-BR', theme: 'system', notificationSound: false })
  await Membership.create({ providerId: provider.id, userId: user.id, role: 'supervisor' })
  setup.push({ providerId: provider.id, userId: user.id })
}
process.stdout.write(`READY ${JSON.stringify(setup)}\n`)

for await (const line of createInterface({ input: process.stdin })) {
  const [command, rateText, secondsText] = line.trim().split(' ')
  if (command === 'quit') break
  if (command !== 'go') continue
  const rate = Number(rateText)
  const total = Math.round(rate * Number(secondsText))
  const start = performance.now()
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const target = setup[n % setup.length]
    // Not awaited in sequence with the schedule: a slow commit must not slow the offered rate.
    void realtime.publish({
      providerId: target.providerId,
      audience: channels.supervision(target.providerId),
      event: 'message.created',
      payload: { n, sentAt: performance.timeOrigin + performance.now() },
    })
  }
  process.stdout.write(`SENT ${total}\n`)
}
await app.terminate()
process.exit(0)
