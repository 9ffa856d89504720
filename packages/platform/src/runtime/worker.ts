import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import {
  FINAL_JOB_STATUSES,
  InvalidParameterError,
  type JobError,
  type JobRecord,
  isAppError,
} from '@ballast/contracts'
import type { Logger } from 'pino'
import { type JobQueue, WORKER_HEARTBEAT_MS } from '../storage/jobs/index.js'
import type { JobHandlers } from './job-handlers.js'
import { JobReporter } from './job-reporter.js'
import type { JobAbortReason, JobContext } from './job-types.js'
import type { Services } from './services.js'

export const DEFAULT_POLL_MS = 1_000
export const DEFAULT_LEASE_MS = 30_000
export const DEFAULT_STOP_TIMEOUT_MS = 10_000

export interface WorkerOptions {
  queue: JobQueue
  services: Services
  handlers: JobHandlers
  logger: Logger
  /** Default: `<hostname>-<pid>-<random>`. */
  id?: string
  /** Job kinds to run; default every kind in `handlers`. */
  kinds?: readonly string[]
  pollMs?: number
  leaseMs?: number
  /** How long `stop()` waits for a running job to end after aborting it, before re-queueing it. */
  stopTimeoutMs?: number
  /** Handed to jobs as `trackingUri`. */
  trackingUri?: string
}

interface RunningJob {
  job: JobRecord
  controller: AbortController
  done: Promise<void>
  /** Set once the job runs: stops renewing its lease. */
  stopHeartbeat?: () => void
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

function jobErrorOf(error: unknown): { error: JobError; retry: boolean } {
  if (isAppError(error)) {
    return { error: { code: error.code, message: error.message }, retry: error.status >= 500 }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { error: { code: 'INTERNAL_ERROR', message }, retry: true }
}

/**
 * Claims jobs of its kinds from the queue and runs their handlers: one job at a time, the lease
 * renewed every third of its duration, the handler's signal aborted on cancel or shutdown.
 */
export class Worker {
  readonly id: string
  readonly kinds: readonly string[]
  private readonly queue: JobQueue
  private readonly services: Services
  private readonly handlers: JobHandlers
  private readonly logger: Logger
  private readonly pollMs: number
  private readonly leaseMs: number
  private readonly stopTimeoutMs: number
  private readonly trackingUri: string | undefined
  private readonly stopping = new AbortController()
  private running: RunningJob | undefined
  private loop: Promise<void> | undefined
  private registration: NodeJS.Timeout | undefined

  constructor(options: WorkerOptions) {
    this.queue = options.queue
    this.services = options.services
    this.handlers = options.handlers
    this.logger = options.logger
    this.id = options.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    this.kinds = options.kinds ?? Object.keys(options.handlers)
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS
    this.trackingUri = options.trackingUri
    const missing = this.kinds.filter((kind) => !Object.hasOwn(this.handlers, kind))
    if (missing.length > 0) {
      throw new InvalidParameterError(
        `invalid kinds: no handler for ${missing.join(', ')} (known: ${Object.keys(this.handlers).join(', ') || 'none'})`,
      )
    }
  }

  /** Registers the worker (so that `ballast` commands know it serves these kinds) and polls. */
  async start(): Promise<void> {
    if (this.loop !== undefined) return
    await this.queue.registerWorker({
      id: this.id,
      hostname: hostname(),
      pid: process.pid,
      kinds: this.kinds,
    })
    this.registration = setInterval(
      () => {
        this.queue.workerHeartbeat(this.id).catch((error: unknown) => {
          this.logger.warn({ err: error, workerId: this.id }, 'worker heartbeat failed')
        })
      },
      Math.min(this.leaseMs / 3, WORKER_HEARTBEAT_MS),
    )
    this.registration.unref()
    this.logger.info({ workerId: this.id, kinds: this.kinds }, 'worker started')
    this.loop = this.poll()
  }

  private async poll(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let ran = false
      try {
        ran = (await this.runOnce()) !== undefined
      } catch (error) {
        this.logger.error({ err: error, workerId: this.id }, 'worker could not claim a job')
      }
      if (!ran) await sleep(this.pollMs, this.stopping.signal)
    }
  }

  /**
   * Stops claiming, aborts the running job (reason `'shutdown'`) and waits for it: a job that still
   * ends with a result succeeds; any other is re-queued without counting the attempt.
   */
  async stop(): Promise<void> {
    this.stopping.abort()
    clearInterval(this.registration)
    const running = this.running
    if (running !== undefined) {
      running.controller.abort('shutdown' satisfies JobAbortReason)
      const timedOut = await Promise.race([
        running.done.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, this.stopTimeoutMs, true).unref()),
      ])
      if (timedOut) {
        // The handler keeps running until the process exits; its outcome is ignored.
        running.stopHeartbeat?.()
        this.logger.warn({ jobId: running.job.id }, 'job did not stop in time; re-queued')
        await this.queue.release(running.job.id, this.id)
      } else {
        await this.loop
      }
    } else {
      await this.loop
    }
    if (this.registration !== undefined) await this.queue.removeWorker(this.id)
    this.logger.info({ workerId: this.id }, 'worker stopped')
  }

  /** Claims one job and runs it to its end; the job as it ended, or undefined if none was queued. */
  async runOnce(): Promise<JobRecord | undefined> {
    if (this.stopping.signal.aborted) return undefined
    const job = await this.queue.claim(this.id, this.kinds, this.leaseMs)
    if (job === undefined) return undefined
    await this.run(job)
    return this.queue.require(job.id)
  }

  /**
   * Runs one job, and only that one, whenever it can be claimed; returns it once it has ended (or
   * as it is when the worker stops). Another worker may run it meanwhile: this waits for it too.
   */
  async runUntilDone(jobId: string): Promise<JobRecord> {
    for (;;) {
      const job = await this.queue.require(jobId)
      if (FINAL_JOB_STATUSES.includes(job.status) || this.stopping.signal.aborted) return job
      if (!Object.hasOwn(this.handlers, job.kind)) {
        throw new InvalidParameterError(`no handler for job kind '${job.kind}' (job ${jobId})`)
      }
      const claimed = await this.queue.claim(this.id, [job.kind], this.leaseMs, { jobId })
      if (claimed !== undefined) await this.run(claimed)
      else await sleep(this.pollMs, this.stopping.signal)
    }
  }

  private async run(job: JobRecord): Promise<void> {
    // stop() came while this job was being claimed: it goes back untouched.
    if (this.stopping.signal.aborted) {
      await this.queue.release(job.id, this.id)
      return
    }
    const controller = new AbortController()
    let settle!: () => void
    const done = new Promise<void>((resolve) => (settle = resolve))
    this.running = { job, controller, done }
    try {
      await this.execute(job, this.running)
    } finally {
      this.running = undefined
      settle()
    }
  }

  private async execute(job: JobRecord, running: RunningJob): Promise<void> {
    const { controller } = running
    const log = this.logger.child({ jobId: job.id, kind: job.kind, workerId: this.id })
    const reporter = new JobReporter(this.queue, job.id, this.id, log)
    const heartbeat = setInterval(() => {
      this.queue
        .heartbeat(job.id, this.id, this.leaseMs)
        .then((beat) => {
          if (beat.leaseLost) controller.abort('lease-lost' satisfies JobAbortReason)
          else if (beat.cancelRequested) controller.abort('cancel' satisfies JobAbortReason)
        })
        .catch((error: unknown) => log.warn({ err: error }, 'job heartbeat failed'))
    }, this.leaseMs / 3)
    running.stopHeartbeat = () => clearInterval(heartbeat)
    log.info({ attempt: job.attempts }, 'job started')
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown }
    try {
      const handler = this.handlers[job.kind]
      if (handler === undefined)
        throw new InvalidParameterError(`no handler for kind '${job.kind}'`)
      const ctx: JobContext = {
        job,
        payload: await this.queue.payload(job.id),
        services: this.services,
        ...(this.trackingUri === undefined ? {} : { trackingUri: this.trackingUri }),
        signal: controller.signal,
        progress: (done, total, message) => reporter.progress(done, total, message),
        log: (message, level) => reporter.log(message, level),
      }
      outcome = { ok: true, result: await handler(ctx) }
    } catch (error) {
      outcome = { ok: false, error }
    } finally {
      clearInterval(heartbeat)
    }
    await this.settle(job, controller.signal, outcome, reporter, log)
  }

  private async settle(
    job: JobRecord,
    signal: AbortSignal,
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
    reporter: JobReporter,
    log: Logger,
  ): Promise<void> {
    if (outcome.ok) {
      await reporter.flush()
      const stored = await this.queue.complete(job.id, this.id, outcome.result)
      log.info({ stored }, 'job succeeded')
      return
    }
    const reason = signal.aborted ? (signal.reason as JobAbortReason) : undefined
    if (reason === 'cancel') {
      reporter.log('cancelled', 'warn')
      await reporter.flush()
      await this.queue.markCancelled(job.id, this.id)
      log.info('job cancelled')
    } else if (reason === 'shutdown') {
      await reporter.flush()
      await this.queue.release(job.id, this.id)
      log.info('job re-queued: the worker is stopping')
    } else if (reason === 'lease-lost') {
      log.warn('job abandoned: its lease passed to another worker')
    } else {
      const { error, retry } = jobErrorOf(outcome.error)
      reporter.log(`${error.code}: ${error.message}`, 'error')
      await reporter.flush()
      await this.queue.fail(job.id, this.id, error, { retry })
      log.warn({ err: outcome.error, retry }, 'job failed')
    }
  }
}
