import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { TelegramAdapter } from './telegram_adapter.js'

export default definePlugin({
  id: 'telegram',
  kind: 'channel',
  name: 'Telegram',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'A Telegram bot (Bot API): messages, photos, voice notes, documents, locations, contacts, edits.',
  config: {
    botToken: fields.secret({ label: 'Bot token', help: 'From @BotFather, like 123456789:AA…', required: true, pattern: '^\\d+:[A-Za-z0-9_-]{20,}$' }),
    apiBaseUrl: fields.url({ label: 'Bot API address', help: 'Only for a self-hosted Bot API server', default: 'https://api.telegram.org' }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 20, min: 1, max: 120 }),
  },
  register(container) {
    container.register(TOKENS.channel, { useClass: TelegramAdapter })
  },
})
