import type { Job } from 'bullmq'
import csat from '#services/csat_service'

/** `csat.expire`: closes a survey nobody answered within the provider's answer window. */
export default async function expireCsatSurvey(job: Job<{ surveyId: number }>) {
  return csat.expireSurvey(Number(job.data.surveyId))
}
