export {
  DEFAULT_MAX_ATTEMPTS,
  JobQueue,
  LIVE_WORKER_STALE_MS,
  WORKER_HEARTBEAT_MS,
  type EnqueueOptions,
  type HeartbeatResult,
  type JobQueueOptions,
  type ListJobsOptions,
} from './job-queue.js'
export type { NewWorker } from './worker-registry.js'
