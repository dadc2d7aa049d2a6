/* Per-provider settings of the AI agent: AI provider, ISP system, hand-over mapping. */
import router from '@adonisjs/core/services/router'
import { tenantRoutes } from '#start/routes/groups'

const HandoverSettingsController = () => import('#controllers/handover_settings_controller')
const AiSettingsController = () => import('#controllers/ai_settings_controller')

tenantRoutes(() => {
  router.get('/settings/handover', [HandoverSettingsController, 'show'])
  router.put('/settings/handover', [HandoverSettingsController, 'update'])
  router.get('/settings/ai', [AiSettingsController, 'showAi'])
  router.put('/settings/ai', [AiSettingsController, 'updateAi'])
  router.post('/settings/ai/test', [AiSettingsController, 'testAi'])
  router.get('/settings/ai/prompt-preview', [AiSettingsController, 'promptPreview'])
  router.get('/settings/isp', [AiSettingsController, 'showIsp'])
  router.put('/settings/isp', [AiSettingsController, 'updateIsp'])
  router.post('/settings/isp/test', [AiSettingsController, 'testIsp'])
})
