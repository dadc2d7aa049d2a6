import type { Job } from 'bullmq'
import aiAgent from '#services/ai_agent_service'

/** `ai.reply`: answer a conversation after its debounce window. */
export default async function aiReply(job: Job<{ conversationId: number }>) {
  await aiAgent.reply(job.data.conversationId)
}
