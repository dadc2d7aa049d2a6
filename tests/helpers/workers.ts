import queues from '#services/queue_service'
import outbox from '#services/outbox_service'

/** Runs the real BullMQ workers inside the test process (against the tests' Redis database). */
export async function startTestWorkers() {
  await import('#start/jobs')
  await queues.startWorkers()
}

export async function stopTestWorkers() {
  await queues.stopWorkers()
}

/** Enqueues pending outbox rows, then waits until no queue has work due within a few seconds. */
export async function drainQueues(timeoutMs = 20_000) {
  await outbox.flush()
  await queues.drain(timeoutMs)
  // A job may have written new outbox rows (e.g. an AI reply queues an outbound send).
  if ((await outbox.pendingCount()) > 0) {
    await outbox.flush()
    await queues.drain(timeoutMs)
  }
}
