import type { Job } from 'bullmq'
import media from '#services/media_service'

/** Downloads an inbound message's media through its channel plugin into the drive. */
export default function mediaDownload(job: Job) {
  return media.download(Number(job.data.attachmentId))
}
