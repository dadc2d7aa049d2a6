import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { skippingWebhooks } from '#middleware/skip_for_webhooks'

/** Shield (CSRF, frame and content-type guards), for every route but channel webhooks. */
export default skippingWebhooks(ShieldMiddleware)
