import OpenAI, { toFile } from 'openai'
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import {
  PluginError,
  type AiAdapter,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type InstanceContext,
  type ToolCall,
  type ToolDefinition,
} from '#plugins/sdk'
import { DEFAULT_TRANSCRIPTION_MODEL, openAiClient, type OpenAiConfig } from './openai_client.js'

type Ctx = InstanceContext<OpenAiConfig>

export interface TranscriptionResult {
  text: string
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number; seconds?: number }
}

/** What the transcription endpoint accepts, by file extension (it reads the name, not the bytes). */
const AUDIO_EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/oga': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
}
const ACCEPTED_EXTENSIONS = new Set(['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'ogg', 'wav', 'webm'])

/**
 * The AI provider through the Chat Completions API (the one every OpenAI-compatible server speaks,
 * tool calling included) and `/audio/transcriptions` for voice notes.
 */
export class OpenAiAdapter implements AiAdapter<OpenAiConfig> {
  async chat(request: ChatRequest, ctx: Ctx): Promise<ChatResult> {
    const config = ctx.config
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: request.model || config.model,
      messages: request.messages.map(toOpenAiMessage),
    }
    // An empty `tools` list is a 400 at OpenAI: leave the field out instead.
    if (request.tools?.length) params.tools = request.tools.map(toOpenAiTool)
    if (request.temperature !== undefined) params.temperature = request.temperature
    // `max_tokens` rather than `max_completion_tokens`: the compatible servers all know the former.
    if (request.maxTokens !== undefined) params.max_tokens = request.maxTokens

    const started = Date.now()
    let completion: ChatCompletion
    try {
      completion = await openAiClient(config).chat.completions.create(params)
    } catch (error) {
      throw this.failure(error, config, ctx, 'chat')
    }
    const result = fromCompletion(completion)
    ctx.logger.debug(
      { model: params.model, ms: Date.now() - started, finishReason: result.finishReason, toolCalls: result.toolCalls.length, usage: result.usage },
      'ai chat'
    )
    return result
  }

  async transcribe(audio: { data: Buffer; mime: string; fileName?: string }, ctx: Ctx): Promise<TranscriptionResult> {
    const config = ctx.config
    const file = await toFile(audio.data, audioFileName(audio), { type: audio.mime.split(';')[0].trim() })
    try {
      const result = await openAiClient(config).audio.transcriptions.create({
        file,
        model: config.transcriptionModel || DEFAULT_TRANSCRIPTION_MODEL,
        // A hint, not a filter: it makes short Portuguese voice notes far more accurate.
        ...(config.transcriptionLanguage === '' ? {} : { language: config.transcriptionLanguage ?? 'pt' }),
        response_format: 'json',
      })
      return { text: String(result.text ?? '').trim(), usage: transcriptionUsage((result as any).usage) }
    } catch (error) {
      throw this.failure(error, config, ctx, 'transcription')
    }
  }

  /** Lists the models: it proves the address and the key without spending tokens. */
  async testConnection(ctx: Ctx) {
    try {
      const page = await openAiClient({ ...ctx.config, maxRetries: 0 }).models.list()
      const listed = page.data.some((model) => model.id === ctx.config.model)
      return {
        ok: true,
        detail: listed ? `model ${ctx.config.model} is available` : `connected; model ${ctx.config.model} is not in the server's list`,
      }
    } catch (error) {
      return { ok: false, detail: this.failure(error, ctx.config, ctx, 'models').message }
    }
  }

  private failure(error: unknown, config: OpenAiConfig, ctx: Ctx, what: string): PluginError {
    const mapped = toPluginError(error, config.apiKey)
    ctx.logger.warn({ what, code: mapped.code, status: mapped.details.status }, `ai ${what} failed: ${mapped.message}`)
    return mapped
  }
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content }
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  }
}

function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }
}

/** Compatible servers differ: no `usage`, calls without `id`, `arguments` as an object. */
function fromCompletion(completion: ChatCompletion): ChatResult {
  const choice = completion?.choices?.[0]
  if (!choice?.message) throw new PluginError('unavailable', 'the AI provider answered without a message')
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? [])
    .filter((call) => call.type === 'function' || (call as any).function)
    .map((call, index) => {
      const fn = (call as any).function ?? {}
      return {
        id: call.id || `call_${index}`,
        name: String(fn.name ?? ''),
        arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
      }
    })
  const usage = completion.usage
  return {
    text: typeof choice.message.content === 'string' && choice.message.content !== '' ? choice.message.content : null,
    toolCalls,
    usage: usage
      ? {
          promptTokens: usage.prompt_tokens ?? 0,
          completionTokens: usage.completion_tokens ?? 0,
          totalTokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
        }
      : undefined,
    finishReason: choice.finish_reason ?? undefined,
  }
}

function transcriptionUsage(usage: any): TranscriptionResult['usage'] {
  if (!usage) return undefined
  if (usage.type === 'duration') return { seconds: usage.seconds }
  return { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, totalTokens: usage.total_tokens }
}

/** Telegram's voice notes arrive as `.oga`, WhatsApp's as `audio/ogg; codecs=opus`: both are Ogg. */
function audioFileName(audio: { mime: string; fileName?: string }): string {
  const given = audio.fileName?.trim()
  const extension = given?.includes('.') ? given.split('.').pop()!.toLowerCase() : ''
  if (given && ACCEPTED_EXTENSIONS.has(extension)) return given
  const byMime = AUDIO_EXTENSIONS[audio.mime.split(';')[0].trim().toLowerCase()]
  const fromName = extension === 'oga' || extension === 'opus' ? 'ogg' : undefined
  const base = given ? given.replace(/\.[^.]*$/, '') : 'voice'
  return `${base || 'voice'}.${byMime ?? fromName ?? 'ogg'}`
}

/** Keys must not survive into messages: OpenAI echoes part of a wrong key in its 401 text. */
function redact(text: string, apiKey: string): string {
  let out = text
  if (apiKey) out = out.split(apiKey).join('[redacted]')
  return out.replace(/\b(sk|gsk|or|pk)-[\w*.-]{6,}/g, '[redacted]').slice(0, 300)
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'))
  if (Number.isFinite(ms) && ms > 0) return ms
  const raw = headers?.get('retry-after')
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return seconds * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export function toPluginError(error: unknown, apiKey: string): PluginError {
  if (error instanceof PluginError) return error
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new PluginError('timeout', 'the AI provider did not answer in time')
  }
  if (error instanceof OpenAI.APIUserAbortError) return new PluginError('timeout', 'the AI call was cancelled')
  if (error instanceof OpenAI.APIConnectionError) {
    return new PluginError('unavailable', 'the AI provider cannot be reached')
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status
    const detail = redact(String((error.error as any)?.message ?? error.message ?? ''), apiKey)
    if (status === 401 || status === 403) {
      // The text names (part of) the key: say only what happened.
      return new PluginError('auth', 'the AI provider refused the API key', { status })
    }
    if (status === 429) {
      if ((error as any).code === 'insufficient_quota') {
        return new PluginError('refused', 'the AI provider account has no quota left', { status })
      }
      return new PluginError('rate_limited', 'the AI provider is rate limiting', {
        status,
        retryAfterMs: retryAfterMs(error.headers),
      })
    }
    if (status !== undefined && status >= 500) {
      return new PluginError('unavailable', `the AI provider failed (HTTP ${status})`, { status })
    }
    if (status === 408) return new PluginError('timeout', 'the AI provider timed out', { status })
    if (status !== undefined && status >= 400) {
      return new PluginError('bad_request', `the AI provider rejected the request: ${detail}`, { status })
    }
    return new PluginError('unavailable', 'the AI provider gave an unexpected answer', { status })
  }
  return new PluginError('unavailable', 'the AI call failed unexpectedly')
}
