import type { JobLogLevel, JobRecord } from '@ballast/contracts'
import type { Services } from './services.js'

/** What a job handler gets from the worker running it. */
export interface JobContext {
  job: JobRecord
  /** The payload the job was enqueued with, parsed from JSON; handlers validate it. */
  payload: unknown
  services: Services
  /**
   * The URL of the Ballast server this worker runs in, when it runs in one: what programs a job
   * starts should log to.
   */
  trackingUri?: string
  /**
   * Aborted when the job is cancelled (reason `'cancel'`), when the worker shuts down (`'shutdown'`:
   * the job is re-queued) or when the lease was lost to another worker (`'lease-lost'`).
   */
  signal: AbortSignal
  /** Throttled to a few writes a second; the last call is always written. */
  progress(done: number, total: number, message?: string): void
  log(message: string, level?: JobLogLevel): void
}

/**
 * Runs one job and returns its result (stored as JSON). A thrown AppError keeps its code; one with
 * a status below 500 fails the job at once, anything else is retried until max_attempts.
 */
export type JobHandler = (ctx: JobContext) => Promise<unknown>

/** Why a worker aborted a job's signal. */
export type JobAbortReason = 'cancel' | 'shutdown' | 'lease-lost'
