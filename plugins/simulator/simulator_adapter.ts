import {
  MalformedPayloadError,
  PluginError,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelEvent,
  type OutboundMessage,
  type WebhookRequest,
} from '#plugins/sdk'

const isObject = (value: unknown): value is Record<string, any> => !!value && typeof value === 'object' && !Array.isArray(value)

function field(body: Record<string, any>, name: string, max: number): string {
  const value = body[name]
  if (typeof value !== 'string' || !value.trim()) throw new MalformedPayloadError(`${name} is required`)
  if (value.length > max) throw new MalformedPayloadError(`${name} is longer than ${max} characters`)
  return value.trim()
}

/**
 * Inbound: the simulator page posts `{ id, sessionId, name?, text }` to the inbox's webhook URL (its
 * secret key is the credential; only admins see it). Outbound: there is no upstream, the stored
 * message is what the page shows, so a send only confirms it.
 */
export class SimulatorAdapter implements ChannelAdapter<Record<string, never>> {
  readonly capabilities: ChannelCapabilities = {
    media: false,
    voice: false,
    reactions: false,
    deleteForEveryone: false,
    markRead: false,
    typing: false,
    csat: true,
    maxTextLength: 4096,
  }

  readonly malformedStatus = 400

  parseWebhook(req: WebhookRequest): ChannelEvent[] {
    const body = req.body
    if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object')
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 120) : undefined
    return [
      {
        type: 'message.received',
        message: {
          externalId: field(body, 'id', 100),
          from: { kind: 'simulator', sessionId: field(body, 'sessionId', 100), ...(name ? { name } : {}) },
          kind: 'text',
          text: field(body, 'text', 4096),
          sentAt: new Date(),
        },
      },
    ]
  }

  async send(msg: OutboundMessage): Promise<{ externalId: string }> {
    if (msg.to.kind !== 'simulator') throw new PluginError('bad_request', 'the simulator only answers simulated customers')
    if (msg.kind !== 'text') throw new PluginError('unsupported', 'the simulator shows text only')
    return { externalId: `sim-out-${msg.id}` }
  }

  async fetchMedia(): Promise<never> {
    throw new PluginError('unsupported', 'the simulator has no media')
  }

  async testConnection() {
    return { ok: true, detail: 'the simulator needs no connection' }
  }
}
