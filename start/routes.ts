import router from '@adonisjs/core/services/router'

router.get('/health/live', async () => ({ status: 'ok' }))
