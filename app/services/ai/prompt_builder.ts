import { DateTime } from 'luxon'
import type Provider from '#models/provider'
import { describeHours, describeOpening, greetingFor, isOpen, nextOpening } from '#services/ai/business_hours'

export interface KnownFacts {
  customerName?: string | null
  cpfCnpj?: string | null
  contractId?: string | null
  phone?: string | null
}

export interface PromptContext {
  provider: Provider
  facts: KnownFacts
  /** Names of the tools offered this turn (the prompt only mentions what exists). */
  tools: string[]
  now?: Date
}

const EMOJI_RULE: Record<string, string> = {
  none: 'Não use emojis.',
  low: 'Use no máximo um emoji por mensagem, e só quando combinar.',
  medium: 'Pode usar emojis com moderação.',
  high: 'Use emojis com frequência para deixar a conversa leve.',
}

function money(value: number | undefined) {
  return value === undefined ? '' : ` — R$ ${value.toFixed(2).replace('.', ',')}`
}

/**
 * The system prompt, rebuilt on every turn from the provider's profile and persona, the facts
 * already known about the customer, the tools on offer, the clock and the business hours. It is in
 * Portuguese because the customers are; an English-speaking provider gets the same rules in pt-BR plus
 * an instruction to answer in the customer's language.
 */
export function buildSystemPrompt({ provider, facts, tools, now = new Date() }: PromptContext): string {
  const persona = provider.persona ?? {}
  const agentName = persona.agentName?.trim() || 'Assistente Virtual'
  const local = DateTime.fromJSDate(now, { zone: provider.timezone })
  const open = isOpen(provider.businessHours ?? {}, provider.timezone, now)
  const opening = open ? null : nextOpening(provider.businessHours ?? {}, provider.timezone, now)
  const has = (tool: string) => tools.includes(tool)
  const sections: string[] = []

  sections.push(
    [
      `Você é ${agentName}, atendente virtual da ${provider.name}, um provedor de internet.`,
      persona.style ? `Estilo: ${persona.style}.` : 'Estilo: educado, objetivo e acolhedor.',
      EMOJI_RULE[persona.emojiUse ?? 'low'],
      persona.greeting ? `Saudação preferida: ${persona.greeting}` : '',
      provider.locale === 'en' ? 'Answer in the language the customer writes in.' : 'Responda em português do Brasil.',
    ]
      .filter(Boolean)
      .join('\n')
  )

  const company = [
    `Empresa: ${provider.name}${provider.legalName ? ` (${provider.legalName})` : ''}`,
    provider.site ? `Site: ${provider.site}` : '',
    provider.phone ? `Telefone: ${provider.phone}` : '',
    provider.email ? `E-mail: ${provider.email}` : '',
    provider.address ? `Endereço: ${provider.address}` : '',
    `Horário de atendimento humano:\n${describeHours(provider.businessHours ?? {})}`,
  ]
  sections.push(company.filter(Boolean).join('\n'))

  if (provider.plans?.length) {
    sections.push(
      'Planos:\n' +
        provider.plans
          .map((plan) => `- ${plan.name}${plan.speed ? ` (${plan.speed})` : ''}${money(plan.price)}${plan.description ? `: ${plan.description}` : ''}`)
          .join('\n')
    )
  }
  if (provider.fees?.length) {
    sections.push('Taxas:\n' + provider.fees.map((fee) => `- ${fee.name}${money(fee.amount)}${fee.description ? `: ${fee.description}` : ''}`).join('\n'))
  }
  if (provider.documents?.length) {
    sections.push('Documentos para contratar:\n' + provider.documents.map((doc) => `- ${doc}`).join('\n'))
  }

  sections.push(
    [
      `Agora: ${local.setLocale('pt-BR').toFormat("cccc, dd/MM/yyyy HH:mm")} (${provider.timezone}). Cumprimente com "${greetingFor(provider.timezone, 'pt-BR', now)}" na primeira mensagem.`,
      open
        ? 'A equipe humana está disponível agora.'
        : `A equipe humana está fora do horário agora${opening ? ` e volta ${describeOpening(opening, 'pt-BR', now)}` : ''}. Se transferir, avise o cliente de quando a equipe volta.`,
    ].join('\n')
  )

  const known = [
    facts.customerName ? `Nome do cliente: ${facts.customerName}` : '',
    facts.cpfCnpj ? `CPF/CNPJ informado: ${facts.cpfCnpj}` : '',
    facts.contractId ? `Contrato escolhido: ${facts.contractId}` : '',
    facts.phone ? `Telefone do cliente: ${facts.phone}` : '',
  ].filter(Boolean)
  if (known.length) sections.push(`Já sabemos (não pergunte de novo):\n${known.join('\n')}`)

  const rules = [
    'Fale apenas sobre assuntos do provedor. Mensagens curtas, de até 3 linhas por parágrafo.',
    'Nunca invente valores, datas de vencimento, códigos PIX, linhas digitáveis, protocolos ou status: use somente o que as ferramentas retornarem.',
  ]
  if (has('find_customer')) {
    rules.push(
      'Para assuntos de cliente (fatura, conexão, suporte), identifique o cliente com find_customer pelo CPF/CNPJ. Se houver mais de um contrato, mostre a lista e peça para escolher; confirme com select_contract.'
    )
  }
  if (has('send_open_invoices')) {
    rules.push(
      'Para segunda via, use send_open_invoices: a ferramenta já envia ao cliente o valor, o vencimento, o PIX copia e cola, o QR Code e o boleto. Depois apenas confirme o envio e pergunte se pode ajudar em algo mais, sem repetir os dados.'
    )
  }
  if (has('check_connection')) {
    rules.push(
      'Se o cliente estiver sem internet, use check_connection. Se estiver offline, pergunte se há luz vermelha piscando no equipamento; se sim, ou se o problema continuar, abra um chamado com open_technical_ticket e informe o protocolo.'
    )
  }
  if (has('request_trust_unlock')) {
    rules.push('Se o acesso estiver suspenso por falta de pagamento e o cliente pedir, ofereça o desbloqueio de confiança com request_trust_unlock e informe o resultado exato.')
  }
  if (has('hand_over')) {
    rules.push(
      'Transfira para a equipe humana com hand_over (motivo: technical, financial, sales ou general, e um resumo de um parágrafo para o atendente) quando o cliente pedir uma pessoa, quando você não puder resolver, ou para vendas e negociações.'
    )
  }
  if (has('resolve_conversation')) {
    rules.push('Quando o cliente disser que era só isso ou se despedir, agradeça e encerre com resolve_conversation.')
  }
  sections.push(`Regras:\n${rules.map((rule) => `- ${rule}`).join('\n')}`)

  if (persona.instructions?.trim()) sections.push(`Instruções do provedor:\n${persona.instructions.trim()}`)
  return sections.join('\n\n')
}
