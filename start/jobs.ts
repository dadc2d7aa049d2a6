/*
 * Which processor runs each job: one line per job type. Processors are thin (app/jobs) and call
 * services. Workers only start in `queue:work` (or in the web process with WORKER_IN_WEB=true).
 */
import queues from '#services/queue_service'

export default queues
