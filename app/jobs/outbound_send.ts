import { DelayedError, type Job } from 'bullmq'
import { PluginError } from '#plugins/sdk'
import outbound from '#services/outbound_service'

const ORDER_WAIT_MS = 150

/**
 * Sends one queued outbound message (retried with back-off by BullMQ; never sends twice). A message
 * written after another one of the same conversation waits until that one is out, without using up
 * an attempt.
 */
export default async function outboundSend(job: Job, token?: string) {
  const messageId = Number(job.data.messageId)
  if (token && (await outbound.waitingBehind(messageId))) {
    await job.moveToDelayed(Date.now() + ORDER_WAIT_MS, token)
    throw new DelayedError()
  }
  try {
    return await outbound.deliver(messageId, job)
  } catch (error) {
    // The provider said when to come back (a 429 with retry_after): wait exactly that, without
    // spending an attempt, instead of the exponential back-off.
    const retryAfterMs = error instanceof PluginError && error.code === 'rate_limited' ? error.details.retryAfterMs : undefined
    if (token && retryAfterMs) {
      await job.moveToDelayed(Date.now() + retryAfterMs, token)
      throw new DelayedError()
    }
    throw error
  }
}
