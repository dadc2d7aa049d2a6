import { definePlugin, TOKENS } from '#plugins/sdk'
import { SimulatorAdapter } from './simulator_adapter.js'

/**
 * The customer simulator: a channel whose "customer" is a page of NioChat itself, so a newcomer sees
 * the AI and the agents answer without a WhatsApp account. Listed in config/plugins.ts only when
 * SIMULATOR_ENABLED (on by default outside production).
 */
export default definePlugin({
  id: 'simulator',
  kind: 'channel',
  name: 'Simulador de cliente',
  version: '1.0.0',
  sdk: '^1.0.0',
  description: 'Write as a customer from the NioChat page "Simulador" and watch the answers arrive.',
  config: {},
  register(container) {
    container.register(TOKENS.channel, { useClass: SimulatorAdapter })
  },
})
