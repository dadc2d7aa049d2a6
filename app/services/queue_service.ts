import { Queue, Worker, type Job, type JobsOptions } from 'bullmq'
import { redisOptions } from '#config/connections'
import { currentLogger, withJobLogger } from '#services/logging'

export const QUEUE_NAMES = ['ingest', 'outbound', 'media', 'ai', 'csat', 'workflow'] as const
export type QueueName = (typeof QUEUE_NAMES)[number]
/** `token` is the worker's lock token, needed by a processor that reschedules its own job. */
export type JobProcessor = (job: Job, token?: string) => Promise<unknown>

const PREFIX = 'niochat'

/** Retries with exponential back-off; finished jobs are kept a while for inspection, then trimmed. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 2000 },
  removeOnFail: { count: 5000 },
}

/**
 * BullMQ used directly behind a thin service (see DESIGN "Stack"): one Queue per name, processors
 * registered by job name in start/jobs.ts, and Workers started only by `queue:work` (or in-process
 * when WORKER_IN_WEB is set, and by the tests).
 */
export class QueueService {
  #queues = new Map<QueueName, Queue>()
  #processors = new Map<QueueName, Map<string, JobProcessor>>()
  #workers: Worker[] = []

  get(name: QueueName): Queue {
    let queue = this.#queues.get(name)
    if (!queue) {
      // Producers fail fast while Redis is down (the outbox keeps the work); no silent offline queue.
      queue = new Queue(name, {
        prefix: PREFIX,
        connection: { ...redisOptions(), enableOfflineQueue: false, maxRetriesPerRequest: 1 },
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      })
      queue.on('error', (error) => currentLogger().warn({ err: error, queue: name }, 'queue connection error'))
      this.#queues.set(name, queue)
    }
    return queue
  }

  registerProcessor(queue: QueueName, jobName: string, processor: JobProcessor) {
    this.#processorsOf(queue).set(jobName, processor)
  }

  /** The live map a worker reads at each job, so processors registered later are found too. */
  #processorsOf(queue: QueueName) {
    let processors = this.#processors.get(queue)
    if (!processors) {
      processors = new Map()
      this.#processors.set(queue, processors)
    }
    return processors
  }

  get running() {
    return this.#workers.length > 0
  }

  async startWorkers(options: { concurrency?: Partial<Record<QueueName, number>> } = {}) {
    if (this.running) return
    for (const name of QUEUE_NAMES) {
      const processors = this.#processorsOf(name)
      const worker = new Worker(
        name,
        (job, token) => {
          const processor = processors.get(job.name)
          if (!processor) throw new Error(`No processor for job "${job.name}" on queue "${name}"`)
          const bindings = { queue: name, job_id: job.id, job_name: job.name, provider_id: job.data?.providerId }
          return withJobLogger(bindings, () => processor(job, token))
        },
        {
          prefix: PREFIX,
          connection: { ...redisOptions(), maxRetriesPerRequest: null },
          concurrency: options.concurrency?.[name] ?? (name === 'media' ? 2 : 10),
        }
      )
      worker.on('failed', (job, error) =>
        currentLogger().warn(
          { queue: name, job_id: job?.id, job_name: job?.name, attempt: job?.attemptsMade, err: error },
          'job failed'
        )
      )
      worker.on('error', (error) => currentLogger().error({ err: error, queue: name }, 'worker error'))
      this.#workers.push(worker)
    }
    await Promise.all(this.#workers.map((worker) => worker.waitUntilReady()))
  }

  /** Graceful: lets active jobs finish (BullMQ moves nothing back; unfinished locks expire and retry). */
  async stopWorkers() {
    const workers = this.#workers
    this.#workers = []
    await Promise.all(workers.map((worker) => worker.close()))
  }

  /** How many jobs are waiting, active or delayed but due within `dueWithinMs`, across every queue. */
  async busyCount(dueWithinMs = 10_000) {
    let busy = 0
    for (const name of QUEUE_NAMES) {
      const queue = this.get(name)
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')
      busy += Object.values(counts).reduce((sum, n) => sum + n, 0)
      const delayed = await queue.getDelayed(0, 50)
      busy += delayed.filter((job) => job.timestamp + (job.delay ?? 0) - Date.now() < dueWithinMs).length
    }
    return busy
  }

  /** Resolves when no queue has waiting, active or (soon-due) delayed jobs. For tests and scripts. */
  async drain(timeoutMs = 20_000, includeDelayedWithinMs = 10_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if ((await this.busyCount(includeDelayedWithinMs)) === 0) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`Queues still busy after ${timeoutMs} ms`)
  }

  async close() {
    await this.stopWorkers()
    const queues = [...this.#queues.values()]
    this.#queues.clear()
    await Promise.all(queues.map((queue) => queue.close()))
  }
}

const queues = new QueueService()
export default queues
