import router from '@adonisjs/core/services/router'
import { loginThrottle } from '#start/limiter'
import { apiRoutes, tenantRoutes } from '#start/routes/groups'

const TokensController = () => import('#controllers/tokens_controller')
const MeController = () => import('#controllers/me_controller')
const ProvidersController = () => import('#controllers/providers_controller')
const MembersController = () => import('#controllers/members_controller')

router.post('/api/v1/auth/tokens', [TokensController, 'store']).use(loginThrottle)

apiRoutes(() => {
  router.get('/auth/tokens', [TokensController, 'index'])
  router.delete('/auth/tokens/:id', [TokensController, 'destroy'])
  router.get('/me', [MeController, 'show'])
  router.get('/providers', [ProvidersController, 'index'])
  router.post('/providers', [ProvidersController, 'store'])
})

tenantRoutes(() => {
  router.get('/', [ProvidersController, 'show'])
  router.patch('/', [ProvidersController, 'update'])
  router.post('/suspend', [ProvidersController, 'suspend'])
  router.post('/unsuspend', [ProvidersController, 'unsuspend'])

  router.get('/members', [MembersController, 'index'])
  router.post('/members', [MembersController, 'store'])
  router.get('/members/:userId', [MembersController, 'show'])
  router.patch('/members/:userId', [MembersController, 'update'])
  router.delete('/members/:userId', [MembersController, 'destroy'])
})
