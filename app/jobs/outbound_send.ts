import type { Job } from 'bullmq'
import outbound from '#services/outbound_service'

/** Sends one queued outbound message (retried with back-off by BullMQ; never sends twice). */
export default function outboundSend(job: Job) {
  return outbound.deliver(Number(job.data.messageId), job)
}
