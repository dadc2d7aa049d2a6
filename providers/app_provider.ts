import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Start-up duties of the web process: the first-boot superadmin from env, and (WORKER_IN_WEB=true,
 * the development default) the queue workers and outbox sweep inside the web process, so one
 * `npm run dev` runs everything.
 */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { default: env } = await import('#start/env')
    const { default: setup } = await import('#services/setup_service')
    await setup.fromEnvironment()

    if (env.get('WORKER_IN_WEB', false)) {
      const { default: queues } = await import('#services/queue_service')
      const { default: outbox } = await import('#services/outbox_service')
      const { default: presence } = await import('#services/presence_service')
      const { default: catchup } = await import('#services/realtime_catchup_service')
      const { default: realtime } = await import('#services/realtime_service')
      const { default: channelListeners } = await import('#services/channel_listener_service')
      await queues.startWorkers()
      outbox.startSweeper()
      presence.startSweeper()
      catchup.startRetention()
      realtime.startSweeper()
      channelListeners.start()
    }
  }

  async shutdown() {
    const { default: queues } = await import('#services/queue_service')
    const { default: outbox } = await import('#services/outbox_service')
    const { default: presence } = await import('#services/presence_service')
    const { default: catchup } = await import('#services/realtime_catchup_service')
    const { default: realtime } = await import('#services/realtime_service')
    const { default: channelListeners } = await import('#services/channel_listener_service')
    outbox.stopSweeper()
    presence.stopSweeper()
    catchup.stopRetention()
    realtime.stopSweeper()
    await channelListeners.stop()
    await queues.close()
  }
}
