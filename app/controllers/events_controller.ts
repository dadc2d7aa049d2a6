import type { HttpContext } from '@adonisjs/core/http'
import catchup from '#services/realtime_catchup_service'
import { viewerOf } from '#services/conversation_query_service'
import { presentRealtimeEvent } from '#transformers/workflow_presenters'
import { catchupValidator } from '#validators/realtime_event'

/**
 * `GET …/events?since=<seq>`: the realtime events a reconnecting client missed, on the channels it may
 * see now. Without `since`, only the current head (`meta.lastSeq`), where a fresh client starts.
 * Continue with `since=meta.lastSeq` while `meta.nextCursor` is not null.
 */
export default class EventsController {
  async index({ tenant, request }: HttpContext) {
    const { since, limit } = await catchupValidator.validate(request.qs())
    if (since === undefined) {
      return { data: [], meta: { nextCursor: null, lastSeq: await catchup.head(tenant.providerId) } }
    }
    const result = await catchup.since(await viewerOf(tenant), since, limit ?? 100)
    return {
      data: result.data.map(presentRealtimeEvent),
      meta: { nextCursor: result.hasMore ? String(result.lastSeq) : null, lastSeq: result.lastSeq },
    }
  }
}
