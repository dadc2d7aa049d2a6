import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * The worker process: runs every queue's processors, the outbox sweep and the realtime numbering sweep until SIGTERM/SIGINT, then
 * stops taking jobs, lets the active ones finish and exits.
 */
export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Run the background job workers (AI replies, sending, media, CSAT)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs processed at once per queue (default 10; media 2)' })
  declare concurrency?: number

  async run() {
    const { default: queues, QUEUE_NAMES } = await import('#services/queue_service')
    const { default: outbox } = await import('#services/outbox_service')
    const { default: presence } = await import('#services/presence_service')
    const { default: catchup } = await import('#services/realtime_catchup_service')
    const { default: realtime } = await import('#services/realtime_service')
    const { default: channelListeners } = await import('#services/channel_listener_service')
    await import('#start/jobs')

    const concurrency = this.concurrency
      ? Object.fromEntries(QUEUE_NAMES.map((name) => [name, this.concurrency!]))
      : undefined
    await queues.startWorkers({ concurrency })
    outbox.startSweeper()
    presence.startSweeper()
    catchup.startRetention()
    realtime.startSweeper()
    channelListeners.start()
    this.logger.info(`worker started: queues ${QUEUE_NAMES.join(', ')}`)

    // SIGTERM is wired to app.terminate() by bin/console.ts; Ctrl+C does the same here.
    process.once('SIGINT', () => void this.app.terminate())
    this.app.terminating(async () => {
      this.logger.info('stopping: finishing active jobs, then exiting')
      outbox.stopSweeper()
      presence.stopSweeper()
      catchup.stopRetention()
      realtime.stopSweeper()
      await channelListeners.stop()
      await queues.close()
    })
  }
}
