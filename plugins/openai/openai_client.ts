import { createHash } from 'node:crypto'
import OpenAI from 'openai'

export interface OpenAiConfig {
  /** Any OpenAI-compatible server: OpenAI, OpenRouter, Groq, Ollama, vLLM, a gateway. */
  baseUrl?: string
  apiKey: string
  model: string
  transcriptionModel?: string
  transcriptionLanguage?: string
  timeoutSeconds?: number
  maxRetries?: number
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1'
export const DEFAULT_TIMEOUT_SECONDS = 60
export const DEFAULT_MAX_RETRIES = 2
export const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1'

/** SDK clients keep a connection pool: one per distinct configuration, not one per call. */
const clients = new Map<string, OpenAI>()
const MAX_CLIENTS = 200

/**
 * The official SDK, configured from the instance settings. Retries (429, 408, 409, 5xx and dropped
 * connections, with exponential back-off that honours `retry-after`/`retry-after-ms`) are the SDK's own
 * `maxRetries`; the timeout applies to each attempt. The SDK's logger is off: its debug lines carry
 * request details we keep out of our logs.
 */
export function openAiClient(config: OpenAiConfig): OpenAI {
  const baseURL = (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
  const timeout = Math.max(1, Math.round((config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000))
  const maxRetries = Math.max(0, Math.floor(config.maxRetries ?? DEFAULT_MAX_RETRIES))
  const key = createHash('sha256').update(JSON.stringify([baseURL, config.apiKey, timeout, maxRetries])).digest('hex')

  let client = clients.get(key)
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.clear()
    client = new OpenAI({ apiKey: config.apiKey, baseURL, timeout, maxRetries, logLevel: 'off' })
    clients.set(key, client)
  }
  return client
}
