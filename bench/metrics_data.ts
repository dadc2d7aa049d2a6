/**
 * Generates the metrics benchmark's data set with plain SQL (INSERT … SELECT generate_series), so a
 * million messages take seconds rather than minutes. A year of history spread over a few providers
 * of different sizes; shapes (handover share, response and resolution times, CSAT answers) are loosely
 * those of a busy ISP help desk. Idempotent per seed: skips when the data is already there.
 */
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

export interface BenchDataShape {
  /** Conversations per provider; their sum is the total. */
  providers: number[]
  messagesPerConversation: number
  agentsPerProvider: number
  inboxesPerProvider: number
  days: number
}

export const DEFAULT_SHAPE: BenchDataShape = {
  providers: [50_000, 25_000, 15_000, 10_000],
  messagesPerConversation: 10,
  agentsPerProvider: 12,
  inboxesPerProvider: 3,
  days: 365,
}

export async function hasBenchData(client: QueryClientContract, shape: BenchDataShape) {
  const result = await client.rawQuery('SELECT count(*)::int AS n FROM conversations')
  const total = shape.providers.reduce((a, b) => a + b, 0)
  return Number(result.rows[0].n) >= total
}

export async function generateBenchData(client: QueryClientContract, shape: BenchDataShape, log = console.log) {
  await client.rawQuery(
    'TRUNCATE messages, csat_surveys, conversations, contacts, inboxes, teams, memberships, users, providers RESTART IDENTITY CASCADE'
  )
  for (const [index, conversations] of shape.providers.entries()) {
    const started = Date.now()
    const provider = await client.rawQuery(
      `INSERT INTO providers (name, timezone, locale, business_hours, plans, fees, documents, persona, settings, created_at, updated_at)
       VALUES (?, 'America/Sao_Paulo', 'pt-BR', '{}', '[]', '[]', '[]', '{}', '{}', now(), now()) RETURNING id`,
      [`Bench ISP ${index + 1}`]
    )
    const providerId = Number(provider.rows[0].id)

    await client.rawQuery(
      `INSERT INTO users (name, email, password, is_superadmin, locale, theme, notification_sound, created_at, updated_at)
       SELECT 'Agent ' || g, 'agent' || g || '@bench' || ? || '.test', 'x', false, 'pt-BR', 'system', true, now(), now()
       FROM generate_series(1, ?) g`,
      [providerId, shape.agentsPerProvider]
    )
    await client.rawQuery(
      `INSERT INTO memberships (provider_id, user_id, role, created_at, updated_at)
       SELECT ?, id, 'agent', now(), now() FROM users WHERE email LIKE ?`,
      [providerId, `%@bench${providerId}.test`]
    )
    await client.rawQuery(
      `INSERT INTO teams (provider_id, name, created_at, updated_at)
       VALUES (?, 'Suporte', now(), now()), (?, 'Financeiro', now(), now())`,
      [providerId, providerId]
    )
    await client.rawQuery(
      `INSERT INTO inboxes (provider_id, name, plugin_id, config, webhook_key, status, created_at, updated_at)
       SELECT ?, 'Inbox ' || g, (ARRAY['uazapi', 'evolution', 'telegram'])[1 + (g - 1) % 3], '{}',
              md5(random()::text || ? || g), 'connected', now(), now()
       FROM generate_series(1, ?) g`,
      [providerId, providerId, shape.inboxesPerProvider]
    )
    await client.rawQuery(
      `INSERT INTO contacts (provider_id, name, phone, created_at, updated_at)
       SELECT ?, 'Cliente ' || g, '55' || (11900000000 + g)::text, now(), now() FROM generate_series(1, ?) g`,
      [providerId, conversations]
    )

    // One conversation per contact (a contact has at most one unresolved conversation per inbox).
    // The last two days hold the live queue (bot, pending, open); older ones are resolved.
    await client.rawQuery(
      `WITH ids AS (
         SELECT (SELECT min(id) FROM inboxes WHERE provider_id = ?) AS inbox0,
                (SELECT min(id) FROM teams WHERE provider_id = ?) AS team0,
                (SELECT min(id) FROM contacts WHERE provider_id = ?) AS contact0,
                (SELECT array_agg(user_id ORDER BY user_id) FROM memberships WHERE provider_id = ?) AS agents
       ), base AS (
         SELECT g, ids.*,
           now() - (random() * ?) * interval '1 day' AS created,
           random() < 0.4 AS handed, random() AS r1, random() AS r2, random() AS r3, random() AS r4
         FROM generate_series(0, ? - 1) g, ids
       ), shaped AS (
         SELECT *,
           CASE WHEN created > now() - interval '2 days'
                THEN (ARRAY['bot', 'pending', 'open', 'resolved'])[1 + floor(r4 * 4)::int] ELSE 'resolved' END AS status
         FROM base
       )
       INSERT INTO conversations (provider_id, inbox_id, contact_id, status, assignee_id, team_id,
         first_customer_message_at, first_response_at, handed_over_at, first_human_response_at,
         resolved_at, resolved_by_kind, resolved_by_id, had_human, transfer_count, last_activity_at,
         last_message_preview, created_at, updated_at)
       SELECT ?, inbox0 + g % ?, contact0 + g, status,
         CASE WHEN handed AND status IN ('open', 'resolved') THEN agents[1 + g % array_length(agents, 1)] END,
         CASE WHEN handed THEN team0 + g % 2 END,
         created,
         created + (5 + r1 * 55) * interval '1 second',
         CASE WHEN handed THEN created + (60 + r2 * 540) * interval '1 second' END,
         CASE WHEN handed AND status IN ('open', 'resolved') THEN created + (600 + r3 * 1800) * interval '1 second' END,
         CASE WHEN status = 'resolved' THEN created + (300 + r3 * 86000) * interval '1 second' END,
         CASE WHEN status = 'resolved' THEN CASE WHEN handed THEN 'agent' WHEN r2 < 0.1 THEN 'inactivity' ELSE 'ai' END END,
         CASE WHEN status = 'resolved' AND handed THEN agents[1 + g % array_length(agents, 1)] END,
         handed AND status IN ('open', 'resolved'),
         CASE WHEN handed THEN floor(r1 * 3)::int ELSE 0 END,
         CASE WHEN status = 'resolved' THEN created + (300 + r3 * 86000) * interval '1 second' ELSE created + interval '5 minutes' END,
         'Olá, preciso de ajuda', created, created
       FROM shaped`,
      [providerId, providerId, providerId, providerId, shape.days, conversations, providerId, shape.inboxesPerProvider]
    )

    // Messages alternate customer / reply, 40 s apart; replies by an agent once handed over.
    await client.rawQuery(
      `INSERT INTO messages (provider_id, conversation_id, inbox_id, direction, sender_kind, sender_id, type, content,
         private, status, created_at, updated_at)
       SELECT c.provider_id, c.id, c.inbox_id,
         CASE WHEN k % 2 = 0 THEN 'in' ELSE 'out' END,
         CASE WHEN k % 2 = 0 THEN 'customer' WHEN c.had_human AND k > 2 THEN 'agent' ELSE 'ai' END,
         CASE WHEN k % 2 = 1 AND c.had_human AND k > 2 THEN c.assignee_id END,
         'text', 'mensagem ' || k, k = ? - 1 AND c.had_human, CASE WHEN k % 2 = 0 THEN 'received' ELSE 'sent' END,
         c.created_at + k * interval '40 seconds', c.created_at + k * interval '40 seconds'
       FROM conversations c, generate_series(0, ? - 1) k
       WHERE c.provider_id = ?`,
      [shape.messagesPerConversation, shape.messagesPerConversation, providerId]
    )

    // A survey for a third of the resolved conversations; 60% of those answered.
    await client.rawQuery(
      `INSERT INTO csat_surveys (provider_id, conversation_id, inbox_id, contact_id, agent_id, team_id, resolved_by_kind,
         status, scheduled_for, sent_at, expires_at, answered_at, rating, answer_text, answer_source, created_at, updated_at)
       SELECT c.provider_id, c.id, c.inbox_id, c.contact_id, c.assignee_id, c.team_id, c.resolved_by_kind,
         CASE WHEN x.answered THEN 'answered' ELSE 'expired' END,
         c.resolved_at + interval '2 minutes', c.resolved_at + interval '2 minutes', c.resolved_at + interval '1 day',
         CASE WHEN x.answered THEN c.resolved_at + interval '10 minutes' END,
         CASE WHEN x.answered THEN 1 + floor(power(random(), 0.5) * 5)::int END,
         CASE WHEN x.answered THEN 'ok' END, CASE WHEN x.answered THEN 'number' END,
         c.resolved_at, c.resolved_at
       FROM conversations c, LATERAL (SELECT random() < 0.6 AS answered) x
       WHERE c.provider_id = ? AND c.status = 'resolved' AND c.id % 3 = 0`,
      [providerId]
    )
    log(`  provider ${providerId}: ${conversations} conversations in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  await client.rawQuery('VACUUM ANALYZE')
}
