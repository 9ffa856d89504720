import { InvalidParameterError, type JobLogLevel } from '@ballast/contracts'
import type { Logger } from 'pino'
import type { JobQueue } from '../storage/jobs/index.js'

/** At most 4 progress writes a second: a tight training loop must not become a write loop. */
export const PROGRESS_INTERVAL_MS = 250

interface Progress {
  done: number
  total: number
  message?: string
}

/**
 * A running job's progress and log lines, written in call order, one at a time, as the lease
 * owner. Calls never throw for a failed write (the job goes on; the worker log says why).
 */
export class JobReporter {
  private writes: Promise<void> = Promise.resolve()
  private pending: Progress | undefined
  private lastProgressAt = Number.NEGATIVE_INFINITY
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly queue: JobQueue,
    private readonly jobId: string,
    private readonly workerId: string,
    private readonly logger: Logger,
  ) {}

  progress(done: number, total: number, message?: string): void {
    if (!Number.isFinite(done) || !Number.isFinite(total)) {
      throw new InvalidParameterError(
        `invalid progress ${done}/${total}: done and total must be finite numbers`,
      )
    }
    this.pending = message === undefined ? { done, total } : { done, total, message }
    const wait = this.lastProgressAt + PROGRESS_INTERVAL_MS - Date.now()
    if (wait <= 0) this.flushProgress()
    else this.timer ??= setTimeout(() => this.flushProgress(), wait)
  }

  log(message: string, level: JobLogLevel = 'info'): void {
    this.enqueue(() => this.queue.appendLog(this.jobId, level, message, this.workerId))
  }

  /** Writes the last progress and waits for every write. */
  async flush(): Promise<void> {
    this.flushProgress()
    await this.writes
  }

  private flushProgress(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const progress = this.pending
    if (progress === undefined) return
    this.pending = undefined
    this.lastProgressAt = Date.now()
    this.enqueue(() => this.queue.progress(this.jobId, progress, this.workerId))
  }

  private enqueue(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((error: unknown) => {
      this.logger.warn({ err: error, jobId: this.jobId }, 'job report not written')
    })
  }
}
