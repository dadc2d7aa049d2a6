/* Per-provider settings of the AI agent: AI provider, ISP system, hand-over mapping. */
import router from '@adonisjs/core/services/router'
import { tenantRoutes } from '#start/routes/groups'

const HandoverSettingsController = () => import('#controllers/handover_settings_controller')

tenantRoutes(() => {
  router.get('/settings/handover', [HandoverSettingsController, 'show'])
  router.put('/settings/handover', [HandoverSettingsController, 'update'])
})
