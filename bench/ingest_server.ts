/*
 * The web instance of bench/ingest.bench.ts: the real HTTP server (bin/server.ts) plus one bench-only
 * route that creates a provider with an Evolution inbox and answers its webhook path. Never loaded by
 * the app.
 */
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')
const { APP_ROOT, importer } = await import('../bin/app_root.js')
const { BENCH_EVOLUTION } = await import('./evolution_payloads.js')

new Ignitor(APP_ROOT, { importer })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.starting(async () => {
      const { default: router } = await import('@adonisjs/core/services/router')
      const { default: Provider } = await import('#models/provider')
      const { default: User } = await import('#models/user')
      const { default: inboxes } = await import('#services/inbox_service')
      // Under /api/ and called with a Bearer header, so the CSRF check (cookie sessions only) does not apply.
      router.post('/api/__bench/setup', async () => {
        const provider = await Provider.create({ name: `Bench ${Date.now()}` } as any)
        const user = await User.firstOrCreate({ email: 'bench@example.com' }, { name: 'Bench', password: 'bench-password-123' } as any)
        const { inbox } = await inboxes.create({ userId: user.id }, provider.id, {
          name: 'Bench WhatsApp',
          plugin: 'evolution',
          // Nothing listens here: the ingest path never calls the provider (webhook registration fails fast).
          config: { baseUrl: 'http://127.0.0.1:9', ...BENCH_EVOLUTION },
        })
        return { providerId: provider.id, path: `/webhooks/evolution/${inbox.webhookKey}` }
      })
    })
    app.listen('SIGTERM', () => app.terminate())
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
