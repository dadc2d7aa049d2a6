import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

/**
 * The two shapes of API route: `/api/v1/...` for an authenticated user, and
 * `/api/v1/providers/:providerId/...` where membership of that provider is checked on every request.
 * Both accept a Bearer access token or the web app's session.
 */
export function apiRoutes(callback: () => void) {
  return router
    .group(callback)
    .prefix('/api/v1')
    .use(middleware.auth({ guards: ['api', 'web'] }))
}

export function tenantRoutes(callback: () => void) {
  return router
    .group(callback)
    .prefix('/api/v1/providers/:providerId')
    .where('providerId', router.matchers.number())
    .use([middleware.auth({ guards: ['api', 'web'] }), middleware.tenant()])
}
