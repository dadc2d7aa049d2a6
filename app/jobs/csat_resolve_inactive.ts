import type { Job } from 'bullmq'
import csat from '#services/csat_service'

/** `csat.inactivity`: the per-provider repeatable sweep that resolves idle open/pending conversations. */
export default async function resolveInactiveConversations(job: Job<{ providerId: number }>) {
  return csat.resolveInactive(Number(job.data.providerId))
}
