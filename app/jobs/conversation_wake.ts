import type { Job } from 'bullmq'
import conversations from '#services/conversation_service'

/** `conversation.wake`: a snooze ran out; the conversation returns to the lists. */
export default async function wakeConversation(job: Job<{ providerId: number; conversationId: number; until: string }>) {
  return conversations.wake(Number(job.data.providerId), Number(job.data.conversationId), String(job.data.until))
}
