import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { IxcAdapter } from './ixc_adapter.js'

export default definePlugin({
  id: 'ixc',
  kind: 'isp',
  name: 'IXC Provedor',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'Customer lookup, invoices with PIX, connection check, trust unlock and tickets through the IXC webservice.',
  config: {
    baseUrl: fields.url({ label: 'IXC address', help: 'Like https://ixc.yourisp.com.br (without /webservice/v1).', required: true }),
    token: fields.secret({
      label: 'API token',
      help: 'As IXC shows it for the API user: "<user id>:<hash>". Give that user read access to cliente, cliente_contrato, fn_areceber, radusuarios and su_ticket.',
      required: true,
    }),
    timeoutSeconds: fields.number({ label: 'Timeout (seconds)', default: 15, min: 1, max: 120 }),
    ticketSubjectId: fields.string({
      label: 'Ticket subject id',
      help: 'The id (id_assunto) of the subject technical tickets are opened under. Without it, tickets cannot be opened.',
    }),
    ticketSectorId: fields.string({ label: 'Ticket sector id', help: 'The sector (id_ticket_setor) that receives the tickets.' }),
  },
  register(container) {
    container.register(TOKENS.isp, { useClass: IxcAdapter })
  },
})
