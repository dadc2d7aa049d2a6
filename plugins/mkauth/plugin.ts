import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { DEFAULT_TRUST_UNLOCK_DAYS, MkauthAdapter } from './mkauth_adapter.js'

export default definePlugin({
  id: 'mkauth',
  kind: 'isp',
  name: 'MK-Auth',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'Customer lookup by CPF/CNPJ, open invoices with PIX, trust unlock and tickets through the MK-Auth API.',
  config: {
    baseUrl: fields.url({ label: 'MK-Auth address', help: 'Like https://mk.yourisp.com.br (HTTPS: the token route requires it).', required: true }),
    clientId: fields.string({
      label: 'Client_Id',
      help: 'Created in MK-Auth under Cadastros → Controle de usuários → API.',
      required: true,
    }),
    clientSecret: fields.secret({ label: 'Client_Secret', required: true }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 15, min: 1, max: 120 }),
    trustUnlockDays: fields.number({
      label: 'Trust unlock length (days)',
      help: 'How long a trust unlock lasts; MK-Auth blocks again when it ends, if the panel is set to.',
      default: DEFAULT_TRUST_UNLOCK_DAYS,
      min: 1,
      max: 15,
    }),
  },
  register(container) {
    container.register(TOKENS.isp, { useClass: MkauthAdapter })
  },
})
