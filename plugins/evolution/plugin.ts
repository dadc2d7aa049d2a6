import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { EvolutionAdapter } from './evolution_adapter.js'

export default definePlugin({
  id: 'evolution',
  kind: 'channel',
  name: 'WhatsApp (Evolution API)',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'WhatsApp through an Evolution API v2 instance: messages, media, voice notes, reactions, statuses.',
  config: {
    baseUrl: fields.url({ label: 'Evolution API address', help: 'Like https://evo.yourisp.com.br', required: true }),
    apiKey: fields.secret({
      label: 'API key',
      help: 'The global key (AUTHENTICATION_API_KEY) or the instance token.',
      required: true,
    }),
    instance: fields.string({ label: 'Instance name', required: true, maxLength: 100 }),
    instanceToken: fields.secret({
      label: 'Instance token',
      help: 'Only when the API key above is the global key and the instance posts its own token in webhooks.',
    }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 20, min: 1, max: 120 }),
  },
  register(container) {
    container.register(TOKENS.channel, { useClass: EvolutionAdapter })
  },
})
