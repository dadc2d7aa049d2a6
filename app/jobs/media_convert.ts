import type { Job } from 'bullmq'
import media, { type ConversionTarget } from '#services/media_service'

/** Converts audio with ffmpeg (browser playback, or a WhatsApp voice note), reporting progress. */
export default function mediaConvert(job: Job) {
  return media.convert(Number(job.data.attachmentId), job.data.target as ConversionTarget, job)
}
