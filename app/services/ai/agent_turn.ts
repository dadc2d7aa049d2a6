import type Provider from '#models/provider'
import type { AiState } from '#models/conversation'
import { PluginError, type AiAdapter, type ChatMessage, type InstanceContext, type ToolCall } from '#plugins/sdk'
import { buildSystemPrompt } from '#services/ai/prompt_builder'
import { toolsFor } from '#services/ai/tool_definitions'
import { executeTool, type IspHandle, type OutgoingPart, type ToolAction } from '#services/ai/tool_executor'
import { checkReply, collectFacts } from '#services/ai/invoice_guard'
import { splitReply } from '#services/ai/reply_splitter'
import type { HandoverReason } from '#models/conversation'

/**
 * One turn of the AI agent: from the conversation so far to what must be sent and done. It talks to
 * the AI and ISP plugins but writes nothing; the caller stores the result in one transaction, which
 * is what makes a retried job never send twice.
 */

export interface AgentTurnInput {
  provider: Provider
  state: AiState
  /** The conversation so far, oldest first, customer turns as `user`. */
  history: ChatMessage[]
  ai: { adapter: AiAdapter; ctx: InstanceContext; model?: string; temperature?: number }
  isp: IspHandle | null
  contactPhone: string | null
  /** Results of tools run earlier in this conversation: what the reply guard accepts as facts. */
  earlierToolResults: unknown[]
  maxToolRounds: number
  now?: Date
}

export interface ToolEvent {
  tool: string
  arguments: string
  result: Record<string, unknown>
  summary: string
}

export type TurnFailure =
  | { kind: 'ai_unavailable'; detail: string }
  | { kind: 'isp_unavailable'; detail: string; reason: HandoverReason }
  | { kind: 'invented_data'; detail: string }
  | { kind: 'too_many_rounds'; detail: string }

export interface AgentTurnResult {
  /** In order: what tools produced (invoice data...), then the model's reply split into messages. */
  sends: OutgoingPart[]
  toolEvents: ToolEvent[]
  action?: ToolAction
  failure?: TurnFailure
  usage: { promptTokens: number; completionTokens: number }
  state: AiState
}

/** Which team a failing tool's conversation belongs to. */
const REASON_BY_TOOL: Record<string, HandoverReason> = {
  find_customer: 'financial',
  select_contract: 'financial',
  send_open_invoices: 'financial',
  request_trust_unlock: 'financial',
  check_connection: 'technical',
  open_technical_ticket: 'technical',
}

export async function runAgentTurn(input: AgentTurnInput): Promise<AgentTurnResult> {
  const state: AiState = structuredClone(input.state ?? {})
  const tools = toolsFor(input.isp?.adapter.supports ?? null)
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content: buildSystemPrompt({
        provider: input.provider,
        facts: { customerName: state.customerName, cpfCnpj: state.cpfCnpj, contractId: state.contractId, phone: input.contactPhone },
        tools: tools.map((tool) => tool.name),
        now: input.now,
      }),
    },
    ...input.history,
  ]
  const result: AgentTurnResult = { sends: [], toolEvents: [], usage: { promptTokens: 0, completionTokens: 0 }, state }
  const toolResults: unknown[] = [...input.earlierToolResults]

  for (let round = 0; round <= input.maxToolRounds; round++) {
    let answer
    try {
      answer = await input.ai.adapter.chat(
        { messages, tools, model: input.ai.model, temperature: input.ai.temperature ?? 0.4, maxTokens: 1000 },
        input.ai.ctx
      )
    } catch (error) {
      if (!(error instanceof PluginError)) throw error
      result.failure = { kind: 'ai_unavailable', detail: `${error.code}: ${error.message}` }
      return result
    }
    result.usage.promptTokens += answer.usage?.promptTokens ?? 0
    result.usage.completionTokens += answer.usage?.completionTokens ?? 0

    if (answer.toolCalls.length === 0) {
      const reply = (answer.text ?? '').trim()
      if (reply) {
        const verdict = checkReply(reply, collectFacts([...toolResults, { plans: input.provider.plans, fees: input.provider.fees }]), input.now)
        if (!verdict.ok) {
          result.failure = { kind: 'invented_data', detail: `reply stated ${verdict.unsupported.join(', ')} that no tool returned` }
          return result
        }
        result.sends.push(...splitReply(reply).map((text): OutgoingPart => ({ kind: 'text', text })))
      }
      return result
    }

    if (round === input.maxToolRounds) break
    messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls })
    for (const call of answer.toolCalls) {
      const outcome = await runTool(call, input, state)
      toolResults.push(outcome.result, outcome.outgoing.filter((part) => part.kind === 'text'))
      result.toolEvents.push({ tool: call.name, arguments: call.arguments, result: outcome.result, summary: outcome.summary })
      result.sends.push(...outcome.outgoing)
      messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(outcome.result) })
      if (outcome.ispFailure) {
        result.failure = { kind: 'isp_unavailable', detail: `${call.name}: ${outcome.ispFailure.code}`, reason: REASON_BY_TOOL[call.name] ?? 'general' }
        return result
      }
      // The first hand-over or resolve wins; the model still gets to say goodbye in its next answer.
      if (outcome.action && !result.action) result.action = outcome.action
    }
  }
  result.failure = { kind: 'too_many_rounds', detail: `no answer after ${input.maxToolRounds} tool rounds` }
  return result
}

function runTool(call: ToolCall, input: AgentTurnInput, state: AiState) {
  return executeTool(call.name, call.arguments, { isp: input.isp, state, contactPhone: input.contactPhone })
}
