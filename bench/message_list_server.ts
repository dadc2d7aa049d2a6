/*
 * The web instance of bench/message_list.bench.ts: the real HTTP server (with the Vite dev middleware,
 * as `npm run dev` serves the app) plus one bench-only route that creates a provider, an admin and a
 * conversation with 5,000 messages. Never loaded by the app.
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
      const { default: db } = await import('@adonisjs/lucid/services/db')
      const { default: Provider } = await import('#models/provider')
      const { default: User } = await import('#models/user')
      const { default: Membership } = await import('#models/membership')
      router.post('/api/__bench/conversation', async ({ request }) => {
        const count = Number(request.input('messages', 5000))
        const provider = await Provider.create({ name: `Bench ${Date.now()}` } as any)
        const email = `bench-${Date.now()}@example.com`
        const user = await User.create({ email, name: 'Bench Agent', password: 'bench-password-123', locale: 'pt-BR', theme: 'light', notificationSound: false } as any)
        await Membership.create({ providerId: provider.id, userId: user.id, role: 'admin' })
        const [inbox] = await db.table('inboxes').insert({ provider_id: provider.id, name: 'WhatsApp', plugin_id: 'evolution', config: '{}', webhook_key: `bench${Date.now()}` }).returning('id')
        const [contact] = await db.table('contacts').insert({ provider_id: provider.id, name: 'Cliente com histórico longo', phone: '5511900000000', custom_attributes: '{}' }).returning('id')
        const [conversation] = await db
          .table('conversations')
          .insert({ provider_id: provider.id, inbox_id: inbox.id, contact_id: contact.id, status: 'open', assignee_id: user.id, last_activity_at: new Date(), last_message_preview: `mensagem ${count}` })
          .returning('id')
        await db.rawQuery(
          `INSERT INTO messages (provider_id, conversation_id, inbox_id, direction, sender_kind, type, content, status, reactions, metadata, external_id, created_at, updated_at)
           SELECT ?, ?, ?, CASE WHEN n % 2 = 0 THEN 'in' ELSE 'out' END, CASE WHEN n % 2 = 0 THEN 'customer' ELSE 'agent' END, 'text',
                  'mensagem ' || n || ' — ' || repeat('texto de exemplo ', 1 + n % 6), CASE WHEN n % 2 = 0 THEN 'received' ELSE 'read' END, '[]', '{}', 'BENCH-' || n,
                  now() - ((? - n) || ' minutes')::interval, now()
           FROM generate_series(1, ?) AS n`,
          [provider.id, conversation.id, inbox.id, count, count]
        )
        return { email, password: 'bench-password-123', conversationId: conversation.id, lastText: `mensagem ${count}` }
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
