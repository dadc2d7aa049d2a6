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

/**
 * Enqueues pending outbox rows, then waits until no queue has work due within a few seconds. A job
 * may write new outbox rows (an AI reply queues a send) and enqueue them after its commit, a moment
 * after BullMQ saw it complete, so this repeats until one pass finds nothing pending and nothing busy.
 */
export async function drainQueues(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await outbox.flush()
    await queues.drain(Math.max(1, deadline - Date.now()))
    // Awaits a flush that a finishing job started after its commit.
    await outbox.flush()
    if ((await outbox.pendingCount()) === 0 && (await queues.busyCount()) === 0) return
    if (Date.now() > deadline) throw new Error(`Work still pending after ${timeoutMs} ms`)
  }
}
