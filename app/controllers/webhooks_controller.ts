import type { HttpContext } from '@adonisjs/core/http'
import ingest from '#services/ingest_service'

/**
 * `POST /webhooks/:pluginId/:webhookKey(/*)`: public, authenticated by the unguessable key and the
 * plugin's own check. Answered after the commit: a 2xx means stored.
 */
export default class WebhooksController {
  async handle({ params, request, response }: HttpContext) {
    const suffix = Array.isArray(params['*']) && params['*'].length ? params['*'].join('/') : undefined
    const answer = await ingest.receiveWebhook({
      pluginId: String(params.pluginId),
      webhookKey: String(params.webhookKey),
      suffix,
      headers: request.headers(),
      body: request.body(),
      rawBody: request.raw() ?? undefined,
      query: request.qs(),
    })
    return response.status(answer.status).send(answer.body)
  }
}
