import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { UazapiAdapter } from './uazapi_adapter.js'

export default definePlugin({
  id: 'uazapi',
  kind: 'channel',
  name: 'WhatsApp (Uazapi)',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'WhatsApp through a uazapiGO v2 instance: messages, media, voice notes, reactions, statuses.',
  config: {
    baseUrl: fields.url({ label: 'Uazapi address', help: 'Like https://yourisp.uazapi.com', required: true }),
    token: fields.secret({ label: 'Instance token', required: true }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 20, min: 1, max: 120 }),
  },
  register(container) {
    container.register(TOKENS.channel, { useClass: UazapiAdapter })
  },
})
