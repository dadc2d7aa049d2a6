import SessionMiddleware from '@adonisjs/session/session_middleware'
import { skippingWebhooks } from '#middleware/skip_for_webhooks'

/** The session, for every route but channel webhooks. */
export default skippingWebhooks(SessionMiddleware)
