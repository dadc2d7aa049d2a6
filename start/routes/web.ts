/* The agent web app (Inertia pages, session + CSRF). */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { loginThrottle } from '#start/limiter'

const SessionController = () => import('#controllers/web/session_controller')
const PasswordResetController = () => import('#controllers/web/password_reset_controller')
const ProfileController = () => import('#controllers/web/profile_controller')
const AppController = () => import('#controllers/web/app_controller')
const InsightsPagesController = () => import('#controllers/web/insights_pages_controller')
const AdminPagesController = () => import('#controllers/web/admin_pages_controller')

router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('login')
    router.post('/login', [SessionController, 'store']).use(loginThrottle)
    router.get('/forgot-password', [PasswordResetController, 'create'])
    router.post('/forgot-password', [PasswordResetController, 'store']).use(loginThrottle)
    router.get('/reset-password/:token', [PasswordResetController, 'edit'])
    router.post('/reset-password/:token', [PasswordResetController, 'update'])
  })
  .use(middleware.guest())

router
  .group(() => {
    router.get('/', [AppController, 'inbox']).as('home')
    router.get('/simulator', [AppController, 'simulator'])
    router.get('/chat', [AppController, 'chat'])
    router.get('/dashboard', [InsightsPagesController, 'dashboard'])
    router.get('/supervision', [InsightsPagesController, 'supervision'])
    router.get('/settings/csat', [InsightsPagesController, 'csatSettings'])
    router.get('/admin', [AdminPagesController, 'index'])
    router.get('/admin/providers', [AdminPagesController, 'providers'])
    router.get('/admin/:section', [AdminPagesController, 'section'])
    router.get('/profile', [ProfileController, 'show'])
    router.put('/profile', [ProfileController, 'update'])
    router.put('/profile/password', [ProfileController, 'password'])
    router.post('/provider', [ProfileController, 'switchProvider'])
    router.post('/logout', [SessionController, 'destroy'])
  })
  .use(middleware.auth({ guards: ['web'] }))
