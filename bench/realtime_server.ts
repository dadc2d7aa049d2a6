/*
 * The web instance of bench/realtime_fanout.bench.ts: the real HTTP server (bin/server.ts), plus one
 * bench-only route that opens a web session for a user id, since the SSE channels are authorized by
 * the session. This file is never loaded by the app.
 */
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')
const { APP_ROOT, importer } = await import('../bin/app_root.js')

new Ignitor(APP_ROOT, { importer })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.starting(async () => {
      const { default: router } = await import('@adonisjs/core/services/router')
      const { default: User } = await import('#models/user')
      router.get('/__bench/session', async ({ request, auth, response }) => {
        await auth.use('web').login(await User.findOrFail(Number(request.qs().userId)))
        return response.noContent()
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
