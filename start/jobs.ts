/*
 * Which processor runs each job: one line per job type. Processors are thin (app/jobs) and call
 * services. Workers only start in `queue:work` (or in the web process with WORKER_IN_WEB=true).
 */
import queues from '#services/queue_service'

export default queues

queues.registerProcessor('csat', 'csat.send', async (job) => (await import('#jobs/csat_send_survey')).default(job))
queues.registerProcessor('csat', 'csat.expire', async (job) => (await import('#jobs/csat_expire_survey')).default(job))
queues.registerProcessor('csat', 'csat.inactivity', async (job) => (await import('#jobs/csat_resolve_inactive')).default(job))
queues.registerProcessor('outbound', 'outbound.send', async (job, token) => (await import('#jobs/outbound_send')).default(job, token))
queues.registerProcessor('media', 'media.download', async (job) => (await import('#jobs/media_download')).default(job))
queues.registerProcessor('media', 'media.convert', async (job) => (await import('#jobs/media_convert')).default(job))
queues.registerProcessor('ai', 'ai.reply', async (job) => (await import('#jobs/ai_reply')).default(job))
queues.registerProcessor('workflow', 'conversation.wake', async (job) => (await import('#jobs/conversation_wake')).default(job))
