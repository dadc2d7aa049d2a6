/**
 * Dashboard metrics, every figure computed from stored rows (nothing estimated, nothing invented).
 *
 * Definitions
 * -----------
 * Period. `from` and `to` are calendar dates in the provider's timezone (providers.timezone), both
 * inclusive: the period runs from `from` 00:00 local to the end of `to` local. Days and hours are
 * bucketed in that timezone too (a conversation created at 01:30 UTC on the 2nd counts on the 1st in
 * America/Sao_Paulo, UTC−3). Filters `inbox`, `team` and `agent` (the assignee) narrow every figure;
 * for CSAT they apply to the survey's inbox, team and agent as stored at resolution.
 *
 * Two cohorts of conversations:
 *  - created in the period (`created_at` inside it): new conversations, their current status,
 *    first response times, transfers;
 *  - resolved in the period (`resolved_at` inside it): resolutions, resolution times, AI share.
 *
 * - New per day / per hour: conversations created, by local day (every day of the period listed, zero
 *   when none) and by local hour of day 0–23 summed over the period. Resolved per day / hour: the same
 *   by `resolved_at`.
 * - Live status: conversations not resolved right now (bot, pending, open), whatever the period.
 * - First response time (all): from the first customer message (`first_customer_message_at`) to the
 *   first reply by the AI or a human (`first_response_at`).
 *   - by the AI: the same, for conversations whose first reply came from the AI (no human reply, or
 *     the first reply strictly before the first human reply);
 *   - by a human: from the handover to people (`handed_over_at`), or from the creation of the
 *     conversation when no AI was involved, to the first human reply (`first_human_response_at`).
 * - Resolution time: from creation to resolution.
 *   - by the AI: conversations resolved by the AI (below); by humans: every other resolved one.
 * - Resolved by the AI: resolved with no human message and no assignment (`had_human` false), never
 *   handed over to people (`handed_over_at` null) and not closed by a person (`resolved_by_kind` is
 *   not `agent`). AI share = resolved by the AI / resolved, in the resolved cohort.
 * - Times are in seconds; median = percentile_cont(0.5) and p90 = percentile_cont(0.9) (interpolated),
 *   null when the set is empty; `count` says how many conversations each figure is computed from.
 * - Transfers: the sum of `transfer_count` over the created cohort, and how many of them were
 *   transferred at least once.
 * - Messages in / out: non-private messages created in the period; in = from the customer, out = sent
 *   by the AI, an agent or the system (split by sender). Private notes are not messages to anyone.
 * - CSAT (surveys answered in the period, `answered_at` inside it): answered count, average rating
 *   (1–5), satisfaction rate = answers rated 4 or 5 / answers, distribution of ratings 1–5; sent =
 *   surveys sent in the period; response rate = answered / sent in the period.
 * - Per agent (the assignee): conversations resolved in the period, median resolution time and median
 *   human first response time over those, conversations open and assigned right now, and the CSAT
 *   average / count of surveys answered in the period that name the agent.
 * - Per inbox: created and resolved in the period, median first response time (created cohort),
 *   CSAT average and count.
 * - Latest feedback: the 10 most recent surveys answered in the period, with their rating, the
 *   customer's words and the feedback to the follow-up question.
 */
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import ApiError from '#exceptions/api_error'
import type Provider from '#models/provider'

export const MAX_PERIOD_DAYS = 366
export const DEFAULT_PERIOD_DAYS = 30
const LATEST_FEEDBACK = 10

export interface MetricsFilters {
  from?: string
  to?: string
  inbox?: number
  team?: number
  agent?: number
}

/** A resolved period and filter set, ready for the queries. */
export interface MetricsScope {
  providerId: number
  timezone: string
  from: string // YYYY-MM-DD, local
  to: string // YYYY-MM-DD, local, inclusive
  start: Date // `from` 00:00 local
  end: Date // the day after `to`, 00:00 local (exclusive)
  inboxId: number | null
  teamId: number | null
  agentId: number | null
}

interface Stat {
  median: number | null
  p90: number | null
  count: number
}

type Row = Record<string, any>

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value))
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value))
const round = (value: number | null, digits = 2) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null)

function stat(row: Row, prefix: string): Stat {
  return {
    median: round(numOrNull(row[`${prefix}_median`])),
    p90: round(numOrNull(row[`${prefix}_p90`])),
    count: num(row[`${prefix}_count`]),
  }
}

/** `percentile_cont` ignores NULLs, so one CASE per subset keeps each figure to its own rows. */
function percentiles(prefix: string, seconds: string) {
  return `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds}) AS ${prefix}_median,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds}) AS ${prefix}_p90,
          count(${seconds}) AS ${prefix}_count`
}

/** Seconds between two timestamps; NULL when either is missing (greatest() alone would turn NULL into 0). */
const epoch = (later: string, earlier: string) =>
  `CASE WHEN ${later} IS NOT NULL AND ${earlier} IS NOT NULL THEN greatest(0, extract(epoch FROM (${later} - ${earlier}))) END`

const FIRST_RESPONSE = epoch('c.first_response_at', 'c.first_customer_message_at')
const FIRST_RESPONSE_AI = `CASE WHEN c.first_human_response_at IS NULL OR c.first_response_at < c.first_human_response_at
  THEN ${FIRST_RESPONSE} END`
const FIRST_RESPONSE_HUMAN = epoch('c.first_human_response_at', 'coalesce(c.handed_over_at, c.created_at)')
const RESOLUTION = epoch('c.resolved_at', 'c.created_at')
const RESOLVED_BY_AI = `(NOT c.had_human AND c.handed_over_at IS NULL AND coalesce(c.resolved_by_kind, '') <> 'agent')`

export class MetricsService {
  /** Validated filters → a scope; 422 for a period that is inverted or too long. */
  scope(provider: Provider, filters: MetricsFilters): MetricsScope {
    const timezone = provider.timezone || 'UTC'
    const today = DateTime.now().setZone(timezone).startOf('day')
    const to = filters.to ? DateTime.fromISO(filters.to, { zone: timezone }) : today
    if (!to.isValid) throw new ApiError(422, 'The to field must be a date (YYYY-MM-DD)', 'to', 'date')
    const from = filters.from
      ? DateTime.fromISO(filters.from, { zone: timezone })
      : to.minus({ days: DEFAULT_PERIOD_DAYS - 1 })
    if (!from.isValid) throw new ApiError(422, 'The from field must be a date (YYYY-MM-DD)', 'from', 'date')
    if (from > to) throw new ApiError(422, 'The from date must not be after the to date', 'from', 'period')
    const days = Math.round(to.diff(from, 'days').days) + 1
    if (days > MAX_PERIOD_DAYS) {
      throw new ApiError(422, `The period may span at most ${MAX_PERIOD_DAYS} days`, 'to', 'period')
    }
    return {
      providerId: provider.id,
      timezone,
      from: from.toISODate()!,
      to: to.toISODate()!,
      start: from.startOf('day').toJSDate(),
      end: to.plus({ days: 1 }).startOf('day').toJSDate(),
      inboxId: filters.inbox ?? null,
      teamId: filters.team ?? null,
      agentId: filters.agent ?? null,
    }
  }

  /** 422 when a filter names an inbox, team or agent the provider does not have. */
  async checkFilters(scope: MetricsScope) {
    const checks: [number | null, string, string][] = [
      [scope.inboxId, 'SELECT 1 FROM inboxes WHERE provider_id = ? AND id = ?', 'inbox'],
      [scope.teamId, 'SELECT 1 FROM teams WHERE provider_id = ? AND id = ?', 'team'],
      [scope.agentId, 'SELECT 1 FROM memberships WHERE provider_id = ? AND user_id = ?', 'agent'],
    ]
    for (const [id, sql, field] of checks) {
      if (id === null) continue
      const found = await db.rawQuery(sql, [scope.providerId, id])
      if (!found.rows.length) throw new ApiError(422, `The ${field} filter names no ${field} of this provider`, field, 'exists')
    }
  }

  /**
   * Every dashboard query as a named thunk, so the overview runs them together and the benchmark can
   * time each one alone.
   */
  queries(scope: MetricsScope, client: QueryClientContract = db.connection()) {
    const statements = this.statements(scope)
    type Name = keyof typeof statements
    const thunks = {} as Record<Name, () => Promise<Row[]>>
    for (const name of Object.keys(statements) as Name[]) {
      const [sql, bindings] = statements[name]
      thunks[name] = () => client.rawQuery(sql, bindings as any).then((result: any) => result.rows as Row[])
    }
    return thunks
  }

  /** The SQL and bindings of every dashboard query (the benchmark EXPLAINs them). */
  statements(scope: MetricsScope) {
    const run = (sql: string, bindings: unknown[]): [string, unknown[]] => [sql, bindings]
    const conv = conversationFilter(scope)
    const csat = csatFilter(scope)
    const msgs = messageFilter(scope)

    return {
      /** Created cohort: status now, first response times, transfers. */
      created: run(
          `SELECT count(*) AS created,
             count(*) FILTER (WHERE c.status = 'bot') AS bot,
             count(*) FILTER (WHERE c.status = 'pending') AS pending,
             count(*) FILTER (WHERE c.status = 'open') AS open,
             count(*) FILTER (WHERE c.status = 'resolved') AS resolved,
             coalesce(sum(c.transfer_count), 0) AS transfers,
             count(*) FILTER (WHERE c.transfer_count > 0) AS transferred,
             ${percentiles('frt', FIRST_RESPONSE)},
             ${percentiles('frt_ai', FIRST_RESPONSE_AI)},
             ${percentiles('frt_human', FIRST_RESPONSE_HUMAN)}
           FROM conversations c
           WHERE c.provider_id = ? AND c.created_at >= ? AND c.created_at < ? ${conv.sql}`,
          [scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      /** Resolved cohort: resolution times, AI share, who resolved. */
      resolved: run(
          `SELECT count(*) AS resolved,
             count(*) FILTER (WHERE ${RESOLVED_BY_AI}) AS by_ai,
             count(*) FILTER (WHERE c.resolved_by_kind = 'agent') AS kind_agent,
             count(*) FILTER (WHERE c.resolved_by_kind = 'ai') AS kind_ai,
             count(*) FILTER (WHERE c.resolved_by_kind = 'inactivity') AS kind_inactivity,
             count(*) FILTER (WHERE c.resolved_by_kind = 'system') AS kind_system,
             ${percentiles('res', RESOLUTION)},
             ${percentiles('res_ai', `CASE WHEN ${RESOLVED_BY_AI} THEN ${RESOLUTION} END`)},
             ${percentiles('res_human', `CASE WHEN NOT ${RESOLVED_BY_AI} THEN ${RESOLUTION} END`)}
           FROM conversations c
           WHERE c.provider_id = ? AND c.resolved_at >= ? AND c.resolved_at < ? ${conv.sql}`,
          [scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      /** New conversations per local hour (folded into days and hours of day in JS). */
      createdPerHour: run(
          `SELECT to_char(date_trunc('hour', c.created_at AT TIME ZONE ?), 'YYYY-MM-DD"T"HH24') AS bucket, count(*) AS n
           FROM conversations c
           WHERE c.provider_id = ? AND c.created_at >= ? AND c.created_at < ? ${conv.sql}
           GROUP BY 1`,
          [scope.timezone, scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      resolvedPerHour: run(
          `SELECT to_char(date_trunc('hour', c.resolved_at AT TIME ZONE ?), 'YYYY-MM-DD"T"HH24') AS bucket, count(*) AS n
           FROM conversations c
           WHERE c.provider_id = ? AND c.resolved_at >= ? AND c.resolved_at < ? ${conv.sql}
           GROUP BY 1`,
          [scope.timezone, scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      /** Conversations not resolved right now, whatever the period. */
      live: run(
          `SELECT c.status, count(*) AS n FROM conversations c
           WHERE c.provider_id = ? AND c.status IN ('bot', 'pending', 'open') ${conv.sql}
           GROUP BY c.status`,
          [scope.providerId, ...conv.bindings]
        ),
      messages: run(
          `SELECT m.direction, m.sender_kind, count(*) AS n
           FROM messages m ${msgs.join}
           WHERE m.provider_id = ? AND m.created_at >= ? AND m.created_at < ? AND NOT m.private ${msgs.sql}
           GROUP BY m.direction, m.sender_kind`,
          [scope.providerId, scope.start, scope.end, ...msgs.bindings]
        ),
      csat: run(
          `SELECT count(*) AS answered, avg(s.rating) AS average,
             count(*) FILTER (WHERE s.rating >= 4) AS satisfied,
             count(*) FILTER (WHERE s.rating = 1) AS r1, count(*) FILTER (WHERE s.rating = 2) AS r2,
             count(*) FILTER (WHERE s.rating = 3) AS r3, count(*) FILTER (WHERE s.rating = 4) AS r4,
             count(*) FILTER (WHERE s.rating = 5) AS r5
           FROM csat_surveys s
           WHERE s.provider_id = ? AND s.answered_at >= ? AND s.answered_at < ? ${csat.sql}`,
          [scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      csatSent: run(
          `SELECT count(*) AS sent FROM csat_surveys s
           WHERE s.provider_id = ? AND s.sent_at >= ? AND s.sent_at < ? ${csat.sql}`,
          [scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      csatPerDay: run(
          `SELECT to_char((s.answered_at AT TIME ZONE ?)::date, 'YYYY-MM-DD') AS day, count(*) AS n, avg(s.rating) AS average,
             count(*) FILTER (WHERE s.rating >= 4) AS satisfied
           FROM csat_surveys s
           WHERE s.provider_id = ? AND s.answered_at >= ? AND s.answered_at < ? ${csat.sql}
           GROUP BY 1`,
          [scope.timezone, scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      latestFeedback: run(
          `SELECT s.id, s.conversation_id, s.rating, s.answer_text, s.answer_source, s.feedback, s.answered_at,
             s.agent_id, u.name AS agent_name, s.inbox_id, ct.name AS contact_name
           FROM csat_surveys s
           LEFT JOIN users u ON u.id = s.agent_id
           LEFT JOIN contacts ct ON ct.id = s.contact_id AND ct.provider_id = s.provider_id
           WHERE s.provider_id = ? AND s.answered_at >= ? AND s.answered_at < ? ${csat.sql}
           ORDER BY s.answered_at DESC, s.id DESC
           LIMIT ${LATEST_FEEDBACK}`,
          [scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      agentsResolved: run(
          `SELECT c.assignee_id AS agent_id, count(*) AS resolved,
             ${percentiles('res', RESOLUTION)},
             ${percentiles('frt_human', FIRST_RESPONSE_HUMAN)}
           FROM conversations c
           WHERE c.provider_id = ? AND c.resolved_at >= ? AND c.resolved_at < ? AND c.assignee_id IS NOT NULL ${conv.sql}
           GROUP BY c.assignee_id`,
          [scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      agentsOpen: run(
          `SELECT c.assignee_id AS agent_id, count(*) AS open FROM conversations c
           WHERE c.provider_id = ? AND c.status = 'open' AND c.assignee_id IS NOT NULL ${conv.sql}
           GROUP BY c.assignee_id`,
          [scope.providerId, ...conv.bindings]
        ),
      agentsCsat: run(
          `SELECT s.agent_id, count(*) AS answered, avg(s.rating) AS average FROM csat_surveys s
           WHERE s.provider_id = ? AND s.answered_at >= ? AND s.answered_at < ? AND s.agent_id IS NOT NULL ${csat.sql}
           GROUP BY s.agent_id`,
          [scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      inboxesCreated: run(
          `SELECT c.inbox_id, count(*) AS created, ${percentiles('frt', FIRST_RESPONSE)}
           FROM conversations c
           WHERE c.provider_id = ? AND c.created_at >= ? AND c.created_at < ? ${conv.sql}
           GROUP BY c.inbox_id`,
          [scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      inboxesResolved: run(
          `SELECT c.inbox_id, count(*) AS resolved FROM conversations c
           WHERE c.provider_id = ? AND c.resolved_at >= ? AND c.resolved_at < ? ${conv.sql}
           GROUP BY c.inbox_id`,
          [scope.providerId, scope.start, scope.end, ...conv.bindings]
        ),
      inboxesCsat: run(
          `SELECT s.inbox_id, count(*) AS answered, avg(s.rating) AS average FROM csat_surveys s
           WHERE s.provider_id = ? AND s.answered_at >= ? AND s.answered_at < ? ${csat.sql}
           GROUP BY s.inbox_id`,
          [scope.providerId, scope.start, scope.end, ...csat.bindings]
        ),
      members: run(
          `SELECT u.id, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.provider_id = ? ORDER BY u.name, u.id`,
          [scope.providerId]
        ),
      inboxes: run(`SELECT id, name, plugin_id FROM inboxes WHERE provider_id = ? ORDER BY name, id`, [scope.providerId]),
    }
  }

  /** `GET …/metrics`: the whole dashboard. */
  async overview(scope: MetricsScope) {
    const q = this.queries(scope)
    const [created, resolved, createdHours, resolvedHours, live, messages, csatRows, sentRows, latest] =
      await Promise.all([
        q.created(),
        q.resolved(),
        q.createdPerHour(),
        q.resolvedPerHour(),
        q.live(),
        q.messages(),
        q.csat(),
        q.csatSent(),
        q.latestFeedback(),
      ])
    const [agentsResolved, agentsOpen, agentsCsat, inboxesCreated, inboxesResolved, inboxesCsat, members, inboxes] =
      await Promise.all([
        q.agentsResolved(),
        q.agentsOpen(),
        q.agentsCsat(),
        q.inboxesCreated(),
        q.inboxesResolved(),
        q.inboxesCsat(),
        q.members(),
        q.inboxes(),
      ])

    const c = created[0]
    const r = resolved[0]
    const createdSeries = this.#series(scope, createdHours)
    const resolvedSeries = this.#series(scope, resolvedHours)
    const liveCounts = { bot: 0, pending: 0, open: 0 } as Record<string, number>
    for (const row of live) liveCounts[row.status] = num(row.n)

    return {
      period: { from: scope.from, to: scope.to, timezone: scope.timezone },
      filters: { inbox: scope.inboxId, team: scope.teamId, agent: scope.agentId },
      live: liveCounts,
      conversations: {
        created: num(c.created),
        resolved: num(r.resolved),
        byStatus: { bot: num(c.bot), pending: num(c.pending), open: num(c.open), resolved: num(c.resolved) },
        resolvedBy: {
          agent: num(r.kind_agent),
          ai: num(r.kind_ai),
          inactivity: num(r.kind_inactivity),
          system: num(r.kind_system),
        },
        resolvedByAiWithoutHuman: num(r.by_ai),
        aiResolutionRate: ratio(num(r.by_ai), num(r.resolved)),
        transfers: num(c.transfers),
        transferredConversations: num(c.transferred),
      },
      perDay: createdSeries.days.map((day, i) => ({
        date: day.date,
        created: day.count,
        resolved: resolvedSeries.days[i].count,
      })),
      perHour: createdSeries.hours.map((count, hour) => ({ hour, created: count, resolved: resolvedSeries.hours[hour] })),
      firstResponseSeconds: { all: stat(c, 'frt'), ai: stat(c, 'frt_ai'), human: stat(c, 'frt_human') },
      resolutionSeconds: { all: stat(r, 'res'), ai: stat(r, 'res_ai'), human: stat(r, 'res_human') },
      messages: this.#messages(messages),
      csat: this.#csatSummary(csatRows[0], sentRows[0]),
      agents: this.#agents(members, agentsResolved, agentsOpen, agentsCsat, scope),
      inboxes: this.#inboxes(inboxes, inboxesCreated, inboxesResolved, inboxesCsat, scope),
      latestFeedback: latest.map(presentFeedback),
    }
  }

  /** `GET …/csat`: the CSAT summary, its daily trend and the latest answers. */
  async csatReport(scope: MetricsScope) {
    const q = this.queries(scope)
    const [summary, sent, perDay, latest, byInbox, inboxes] = await Promise.all([
      q.csat(),
      q.csatSent(),
      q.csatPerDay(),
      q.latestFeedback(),
      q.inboxesCsat(),
      q.inboxes(),
    ])
    const byDay = new Map(perDay.map((row) => [row.day, row]))
    return {
      period: { from: scope.from, to: scope.to, timezone: scope.timezone },
      filters: { inbox: scope.inboxId, team: scope.teamId, agent: scope.agentId },
      ...this.#csatSummary(summary[0], sent[0]),
      perDay: this.#days(scope).map((date) => {
        const row = byDay.get(date)
        return {
          date,
          answered: num(row?.n),
          average: round(numOrNull(row?.average)),
          satisfactionRate: row ? ratio(num(row.satisfied), num(row.n)) : null,
        }
      }),
      byInbox: byInbox.map((row) => ({
        inboxId: Number(row.inbox_id),
        name: inboxes.find((inbox) => Number(inbox.id) === Number(row.inbox_id))?.name ?? null,
        answered: num(row.answered),
        average: round(numOrNull(row.average)),
      })),
      latest: latest.map(presentFeedback),
    }
  }

  #days(scope: MetricsScope): string[] {
    const days: string[] = []
    let day = DateTime.fromISO(scope.from, { zone: 'UTC' })
    const last = DateTime.fromISO(scope.to, { zone: 'UTC' })
    while (day <= last) {
      days.push(day.toISODate()!)
      day = day.plus({ days: 1 })
    }
    return days
  }

  /** Local-hour buckets → every day of the period (zero-filled) and the 24 hours of the day. */
  #series(scope: MetricsScope, rows: Row[]) {
    const perDay = new Map<string, number>()
    const hours = Array.from({ length: 24 }, () => 0)
    for (const row of rows) {
      const [date, hour] = String(row.bucket).split('T')
      perDay.set(date, (perDay.get(date) ?? 0) + num(row.n))
      hours[Number(hour)] += num(row.n)
    }
    return { days: this.#days(scope).map((date) => ({ date, count: perDay.get(date) ?? 0 })), hours }
  }

  #messages(rows: Row[]) {
    const out = { ai: 0, agent: 0, system: 0 } as Record<string, number>
    let incoming = 0
    for (const row of rows) {
      if (row.direction === 'in') incoming += num(row.n)
      else out[row.sender_kind] = (out[row.sender_kind] ?? 0) + num(row.n)
    }
    return { in: incoming, out: out.ai + out.agent + out.system, outBySender: out }
  }

  #csatSummary(row: Row, sentRow: Row) {
    const answered = num(row.answered)
    const sent = num(sentRow.sent)
    return {
      answered,
      sent,
      responseRate: ratio(answered, sent),
      average: round(numOrNull(row.average)),
      satisfactionRate: ratio(num(row.satisfied), answered),
      distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: num(row[`r${rating}`]) })),
    }
  }

  #agents(members: Row[], resolved: Row[], open: Row[], csat: Row[], scope: MetricsScope) {
    const byId = (rows: Row[]) => new Map(rows.map((row) => [Number(row.agent_id), row]))
    const resolvedBy = byId(resolved)
    const openBy = byId(open)
    const csatBy = byId(csat)
    const ids = new Set<number>([...resolvedBy.keys(), ...openBy.keys(), ...csatBy.keys()])
    for (const member of members) if (member.role === 'agent') ids.add(Number(member.id))
    if (scope.agentId !== null) for (const id of [...ids]) if (id !== scope.agentId) ids.delete(id)
    const names = new Map(members.map((member) => [Number(member.id), member.name]))
    return [...ids]
      .map((id) => {
        const res = resolvedBy.get(id)
        const sat = csatBy.get(id)
        return {
          agentId: id,
          name: names.get(id) ?? null,
          resolved: num(res?.resolved),
          openNow: num(openBy.get(id)?.open),
          resolutionSeconds: { median: round(numOrNull(res?.res_median)), count: num(res?.res_count) },
          firstHumanResponseSeconds: {
            median: round(numOrNull(res?.frt_human_median)),
            count: num(res?.frt_human_count),
          },
          csat: { average: round(numOrNull(sat?.average)), answered: num(sat?.answered) },
        }
      })
      .sort((a, b) => b.resolved - a.resolved || a.agentId - b.agentId)
  }

  #inboxes(inboxes: Row[], created: Row[], resolved: Row[], csat: Row[], scope: MetricsScope) {
    const byId = (rows: Row[]) => new Map(rows.map((row) => [Number(row.inbox_id), row]))
    const createdBy = byId(created)
    const resolvedBy = byId(resolved)
    const csatBy = byId(csat)
    return inboxes
      .filter((inbox) => scope.inboxId === null || Number(inbox.id) === scope.inboxId)
      .map((inbox) => {
        const id = Number(inbox.id)
        const made = createdBy.get(id)
        const sat = csatBy.get(id)
        return {
          inboxId: id,
          name: inbox.name,
          plugin: inbox.plugin_id,
          created: num(made?.created),
          resolved: num(resolvedBy.get(id)?.resolved),
          firstResponseSeconds: { median: round(numOrNull(made?.frt_median)), count: num(made?.frt_count) },
          csat: { average: round(numOrNull(sat?.average)), answered: num(sat?.answered) },
        }
      })
  }
}

function conversationFilter(scope: MetricsScope) {
  const parts: string[] = []
  const bindings: number[] = []
  if (scope.inboxId !== null) parts.push('AND c.inbox_id = ?') && bindings.push(scope.inboxId)
  if (scope.teamId !== null) parts.push('AND c.team_id = ?') && bindings.push(scope.teamId)
  if (scope.agentId !== null) parts.push('AND c.assignee_id = ?') && bindings.push(scope.agentId)
  return { sql: parts.join(' '), bindings }
}

function csatFilter(scope: MetricsScope) {
  const parts: string[] = []
  const bindings: number[] = []
  if (scope.inboxId !== null) parts.push('AND s.inbox_id = ?') && bindings.push(scope.inboxId)
  if (scope.teamId !== null) parts.push('AND s.team_id = ?') && bindings.push(scope.teamId)
  if (scope.agentId !== null) parts.push('AND s.agent_id = ?') && bindings.push(scope.agentId)
  return { sql: parts.join(' '), bindings }
}

/** Team and agent live on the conversation; only those filters need the join. */
function messageFilter(scope: MetricsScope) {
  const parts: string[] = []
  const bindings: number[] = []
  if (scope.inboxId !== null) parts.push('AND m.inbox_id = ?') && bindings.push(scope.inboxId)
  if (scope.teamId !== null) parts.push('AND c.team_id = ?') && bindings.push(scope.teamId)
  if (scope.agentId !== null) parts.push('AND c.assignee_id = ?') && bindings.push(scope.agentId)
  const join =
    scope.teamId !== null || scope.agentId !== null
      ? 'JOIN conversations c ON c.id = m.conversation_id AND c.provider_id = m.provider_id'
      : ''
  return { sql: parts.join(' '), bindings, join }
}

function presentFeedback(row: Row) {
  return {
    surveyId: Number(row.id),
    conversationId: Number(row.conversation_id),
    rating: numOrNull(row.rating),
    answer: row.answer_text,
    source: row.answer_source,
    feedback: row.feedback,
    answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
    agent: row.agent_id ? { id: Number(row.agent_id), name: row.agent_name } : null,
    inboxId: Number(row.inbox_id),
    contactName: row.contact_name,
  }
}

const metrics = new MetricsService()
export default metrics
