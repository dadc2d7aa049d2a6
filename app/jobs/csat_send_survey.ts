import type { Job } from 'bullmq'
import csat from '#services/csat_service'

/** `csat.send`: the delayed survey of one resolved conversation (job id `csat-<conversationId>`). */
export default async function sendCsatSurvey(job: Job<{ surveyId: number }>) {
  return csat.sendSurvey(Number(job.data.surveyId))
}
