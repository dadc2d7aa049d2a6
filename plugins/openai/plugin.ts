import { definePlugin, fields, TOKENS } from '#plugins/sdk'
import { OpenAiAdapter } from './openai_adapter.js'
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_TRANSCRIPTION_MODEL,
} from './openai_client.js'

export default definePlugin({
  id: 'openai',
  kind: 'ai',
  name: 'OpenAI-compatible',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'Chat with tool calling and voice-note transcription on OpenAI or any server that speaks its API (OpenRouter, Groq, Ollama, vLLM, gateways).',
  config: {
    baseUrl: fields.url({
      label: 'API base URL',
      help: 'https://api.openai.com/v1 for OpenAI; the /v1 address of any compatible server otherwise.',
      default: DEFAULT_BASE_URL,
    }),
    apiKey: fields.secret({ label: 'API key', required: true }),
    model: fields.string({ label: 'Chat model', help: 'Must support tool calling.', default: 'gpt-4o-mini', required: true }),
    transcriptionModel: fields.string({
      label: 'Transcription model',
      help: 'whisper-1, gpt-4o-mini-transcribe, or the server\'s Whisper model (Groq: whisper-large-v3).',
      default: DEFAULT_TRANSCRIPTION_MODEL,
    }),
    transcriptionLanguage: fields.string({ label: 'Voice-note language', help: 'ISO 639-1 hint for transcription.', default: 'pt' }),
    timeoutSeconds: fields.number({ label: 'Timeout per attempt (seconds)', default: DEFAULT_TIMEOUT_SECONDS, min: 1, max: 600 }),
    maxRetries: fields.number({
      label: 'Retries',
      help: 'Retries on rate limits, server errors and dropped connections, with back-off.',
      default: DEFAULT_MAX_RETRIES,
      min: 0,
      max: 5,
    }),
  },
  register(container) {
    container.register(TOKENS.ai, { useClass: OpenAiAdapter })
  },
})
