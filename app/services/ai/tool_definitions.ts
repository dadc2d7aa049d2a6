import type { IspOperation, ToolDefinition } from '#plugins/sdk'

/**
 * The tools the AI may call. Which ones are offered depends on what the provider configured: no ISP
 * system → no ISP tools; an ISP plugin that cannot check connections → no check_connection. The
 * conversation tools (hand over, resolve) are always there, so the list sent is never empty.
 */
export const TOOL_DEFINITIONS: Record<string, ToolDefinition & { needs?: IspOperation }> = {
  find_customer: {
    name: 'find_customer',
    description: 'Busca o cliente no sistema do provedor pelo CPF ou CNPJ (ou pelo telefone da conversa, se não informado). Retorna os contratos.',
    parameters: {
      type: 'object',
      properties: { cpfCnpj: { type: 'string', description: 'CPF (11 dígitos) ou CNPJ (14 dígitos), com ou sem pontuação' } },
      additionalProperties: false,
    },
    needs: 'findCustomer',
  },
  select_contract: {
    name: 'select_contract',
    description: 'Registra qual contrato o cliente escolheu, entre os retornados por find_customer.',
    parameters: {
      type: 'object',
      properties: { contractId: { type: 'string' } },
      required: ['contractId'],
      additionalProperties: false,
    },
    needs: 'findCustomer',
  },
  send_open_invoices: {
    name: 'send_open_invoices',
    description: 'Envia ao cliente as faturas em aberto do contrato: valor, vencimento, PIX copia e cola, QR Code e boleto.',
    parameters: {
      type: 'object',
      properties: { contractId: { type: 'string', description: 'Opcional se o contrato já foi escolhido' } },
      additionalProperties: false,
    },
    needs: 'openInvoices',
  },
  check_connection: {
    name: 'check_connection',
    description: 'Verifica se a conexão do contrato está online, offline ou suspensa, e o motivo.',
    parameters: { type: 'object', properties: { contractId: { type: 'string' } }, additionalProperties: false },
    needs: 'connectionStatus',
  },
  request_trust_unlock: {
    name: 'request_trust_unlock',
    description: 'Pede o desbloqueio de confiança (liberação temporária por promessa de pagamento) do contrato suspenso.',
    parameters: { type: 'object', properties: { contractId: { type: 'string' } }, additionalProperties: false },
    needs: 'trustUnlock',
  },
  open_technical_ticket: {
    name: 'open_technical_ticket',
    description: 'Abre um chamado técnico para o contrato e retorna o protocolo.',
    parameters: {
      type: 'object',
      properties: {
        contractId: { type: 'string' },
        reason: { type: 'string', enum: ['no_connection', 'slow_connection', 'other'] },
        description: { type: 'string', description: 'O que o cliente relatou, em uma ou duas frases' },
      },
      required: ['reason', 'description'],
      additionalProperties: false,
    },
    needs: 'openTicket',
  },
  hand_over: {
    name: 'hand_over',
    description: 'Transfere a conversa para a equipe humana, com o motivo e um resumo para o atendente.',
    parameters: {
      type: 'object',
      properties: {
        reason: { type: 'string', enum: ['technical', 'financial', 'sales', 'general'] },
        summary: { type: 'string', description: 'Um parágrafo com o que o cliente quer e o que já foi feito' },
      },
      required: ['reason', 'summary'],
      additionalProperties: false,
    },
  },
  resolve_conversation: {
    name: 'resolve_conversation',
    description: 'Encerra o atendimento quando o cliente não precisa de mais nada.',
    parameters: { type: 'object', properties: { reason: { type: 'string' } }, additionalProperties: false },
  },
}

/** The tools for this turn, given what the provider's ISP plugin supports (none without one). */
export function toolsFor(ispSupports: readonly IspOperation[] | null): ToolDefinition[] {
  return Object.values(TOOL_DEFINITIONS)
    .filter((tool) => !tool.needs || (ispSupports ?? []).includes(tool.needs))
    .map(({ needs: _needs, ...tool }) => tool)
}
