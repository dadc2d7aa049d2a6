import { DelayedError, type Job } from 'bullmq'
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
  return outbound.deliver(messageId, job)
}
