import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { SgpAdapter } from './sgp_adapter.js'

export default definePlugin({
  id: 'sgp',
  kind: 'isp',
  name: 'SGP (TSMX)',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'Customer lookup, invoices with PIX, connection check, trust unlock and tickets through the SGP URA API.',
  config: {
    baseUrl: fields.url({
      label: 'SGP address',
      help: 'Like https://yourisp.sgp.net.br, without /admin.',
      required: true,
    }),
    app: fields.string({ label: 'App name', help: 'The integration app registered in SGP for the URA API.', required: true }),
    token: fields.secret({ label: 'Token', help: 'The token SGP generated for that app.', required: true }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 15, min: 1, max: 120 }),
    ticketTypeNoConnection: fields.number({
      label: 'Occurrence type for "no connection"',
      help: 'SGP occurrence type id used for tickets about a connection that is down.',
      default: 1,
      min: 1,
    }),
    ticketTypeSlow: fields.number({ label: 'Occurrence type for "slow connection"', default: 2, min: 1 }),
    ticketTypeOther: fields.number({ label: 'Occurrence type for other tickets', default: 5, min: 1 }),
  },
  register(container) {
    container.register(TOKENS.isp, { useClass: SgpAdapter })
  },
})
