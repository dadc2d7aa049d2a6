/* Dashboards and CSAT: computed metrics, the CSAT report and the CSAT settings. */
import router from '@adonisjs/core/services/router'
import { tenantRoutes } from '#start/routes/groups'

const MetricsController = () => import('#controllers/metrics_controller')
const CsatController = () => import('#controllers/csat_controller')
const CsatSettingsController = () => import('#controllers/csat_settings_controller')

tenantRoutes(() => {
  router.get('/metrics', [MetricsController, 'index'])
  router.get('/csat', [CsatController, 'index'])
  router.get('/settings/csat', [CsatSettingsController, 'show'])
  router.put('/settings/csat', [CsatSettingsController, 'update'])
})
