import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

/* Run on every request, matched to a route or not. */
server.use([
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/request_logger_middleware'),
  () => import('@adonisjs/static/static_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
  () => import('#middleware/inertia_middleware'),
])

/* Run on every request that matched a route. */
router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/session_unless_webhook_middleware'),
  () => import('#middleware/shield_unless_webhook_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/detect_user_locale_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  tenant: () => import('#middleware/tenant_middleware'),
})
