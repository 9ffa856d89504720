import { z } from 'zod'

/**
 * The jobs API (`/api/v1/jobs`): long work (training, batch scoring, retraining) stored as a job,
 * run by a worker, followed by id. Times are epoch milliseconds.
 */

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

/** Statuses a job never leaves. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled']

export const JOB_LOG_LEVELS = ['info', 'warn', 'error'] as const
export type JobLogLevel = (typeof JOB_LOG_LEVELS)[number]

export const JobError = z.object({ code: z.string(), message: z.string() })
export type JobError = z.output<typeof JobError>

export const JobProgress = z.object({
  done: z.number(),
  total: z.number(),
  message: z.string().nullable(),
})
export type JobProgress = z.output<typeof JobProgress>

export const JobRecord = z.object({
  /** 32 hex digits. */
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  /** Times a worker has started it; a job re-queued by a worker's shutdown does not count. */
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  progress: JobProgress,
  /** What the handler returned, once succeeded. */
  result: z.unknown(),
  error: JobError.nullable(),
  cancelRequested: z.boolean(),
})
export type JobRecord = z.output<typeof JobRecord>

export const JobLogLine = z.object({
  seq: z.number().int().positive(),
  time: z.number().int(),
  level: z.enum(JOB_LOG_LEVELS),
  message: z.string(),
})
export type JobLogLine = z.output<typeof JobLogLine>

export const WorkerRecord = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  kinds: z.array(z.string()),
  startedAt: z.number().int(),
  heartbeatAt: z.number().int(),
})
export type WorkerRecord = z.output<typeof WorkerRecord>

export const ListJobsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})
export type ListJobsQuery = z.output<typeof ListJobsQuery>

export const JobLogsQuery = z.object({
  /** Lines with a larger `seq` than this; 0 from the start. */
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
})
export type JobLogsQuery = z.output<typeof JobLogsQuery>

export const ListJobsResponse = z.object({ jobs: z.array(JobRecord) })
export type ListJobsResponse = z.output<typeof ListJobsResponse>

export const GetJobResponse = z.object({ job: JobRecord })
export type GetJobResponse = z.output<typeof GetJobResponse>

export const JobLogsResponse = z.object({ logs: z.array(JobLogLine) })
export type JobLogsResponse = z.output<typeof JobLogsResponse>

export const ListWorkersResponse = z.object({ workers: z.array(WorkerRecord) })
export type ListWorkersResponse = z.output<typeof ListWorkersResponse>

export const JOBS_API = '/api/v1/jobs'
export const WORKERS_API = '/api/v1/workers'
