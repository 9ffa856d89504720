import { randomBytes } from 'node:crypto'
import {
  AppError,
  type JobError,
  type JobLogLevel,
  type JobLogLine,
  type JobRecord,
  type JobStatus,
  NotFoundError,
  type WorkerRecord,
} from '@ballast/contracts'
import type { ExpressionBuilder, Kysely } from 'kysely'
import type { MetadataStore } from '../metadata-store.js'
import type { DatabaseSchema } from '../schema.js'
import { JobLogLines } from './job-log-lines.js'
import { jobFromRow, resultJson } from './job-rows.js'
import { type NewWorker, WorkerRegistry } from './worker-registry.js'

export const DEFAULT_MAX_ATTEMPTS = 3
/** How often a live worker renews its registration, at most. */
export const WORKER_HEARTBEAT_MS = 10_000
/** A worker silent for this long is taken for gone. */
export const LIVE_WORKER_STALE_MS = 3 * WORKER_HEARTBEAT_MS

export interface EnqueueOptions {
  kind: string
  payload: unknown
  createdBy: string
  maxAttempts?: number
  /** Epoch ms before which no worker claims the job (a retry's backoff); default at once. */
  runAfter?: number
  /** Inserts the job in the caller's transaction, so that it commits with the change that asks for it. */
  db?: Kysely<DatabaseSchema>
}

export interface ListJobsOptions {
  status?: JobStatus
  kind?: string
  limit: number
}

export interface JobQueueOptions {
  /** Epoch milliseconds; tests move time forward to expire leases. */
  now?: () => number
}

export interface HeartbeatResult {
  cancelRequested: boolean
  /** The lease is no longer this worker's (it expired and another worker took the job). */
  leaseLost: boolean
}

type Jobs = ExpressionBuilder<DatabaseSchema, 'jobs'>

const newJobId = () => randomBytes(16).toString('hex')

/**
 * The job queue over the metadata store. A worker claims a job by taking a lease on it and renews
 * the lease by heartbeats; a job whose lease expires (its worker crashed) is claimed again, or
 * fails once its attempts are spent. Every write by a worker names the worker, and is ignored
 * when the worker no longer holds the lease.
 */
export class JobQueue {
  private readonly now: () => number
  private readonly workers: WorkerRegistry
  private readonly logLines: JobLogLines

  constructor(
    private readonly store: MetadataStore,
    options: JobQueueOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.workers = new WorkerRegistry(store, this.now)
    this.logLines = new JobLogLines(store, this.now)
  }

  private get db() {
    return this.store.db
  }

  async enqueue(options: EnqueueOptions): Promise<JobRecord> {
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new AppError(
        'INVALID_PARAMETER_VALUE',
        `invalid maxAttempts ${maxAttempts}: expected a whole number of at least 1`,
      )
    }
    const payload = JSON.stringify(options.payload ?? null)
    const row = {
      id: newJobId(),
      kind: options.kind,
      payload,
      status: 'queued',
      attempts: 0,
      max_attempts: maxAttempts,
      created_by: options.createdBy,
      created_at: this.now(),
      started_at: null,
      finished_at: null,
      lease_owner: null,
      lease_expires_at: null,
      progress_done: 0,
      progress_total: 0,
      progress_message: null,
      result: null,
      error: null,
      cancel_requested: 0,
      run_after: options.runAfter ?? null,
    }
    await (options.db ?? this.db).insertInto('jobs').values(row).execute()
    return jobFromRow(row)
  }

  /**
   * Takes the oldest job of these kinds that is queued, or running on an expired lease, and leases
   * it to `workerId` for `leaseMs`. One statement, so that two workers never get the same job: on
   * PostgreSQL the candidate row is locked with SKIP LOCKED; SQLite has a single writer.
   */
  async claim(
    workerId: string,
    kinds: readonly string[],
    leaseMs: number,
    options: { jobId?: string } = {},
  ): Promise<JobRecord | undefined> {
    if (kinds.length === 0) return undefined
    const now = this.now()
    await this.expireAbandoned(now)
    const claimable = (eb: Jobs) =>
      eb.and([
        eb('cancel_requested', '=', 0),
        eb.or([
          eb.and([
            eb('status', '=', 'queued'),
            eb.or([eb('run_after', 'is', null), eb('run_after', '<=', now)]),
          ]),
          eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)]),
        ]),
      ])
    let pick = this.db
      .selectFrom('jobs')
      .select('id')
      .where(claimable)
      .where('kind', 'in', [...kinds])
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
    if (options.jobId !== undefined) pick = pick.where('id', '=', options.jobId)
    if (this.store.capabilities.supportsSkipLocked) pick = pick.forUpdate().skipLocked()
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        lease_owner: workerId,
        lease_expires_at: now + leaseMs,
        started_at: now,
        progress_done: 0,
        progress_total: 0,
        progress_message: null,
      }))
      .where('id', '=', pick)
      .where(claimable)
      .returningAll()
      .executeTakeFirst()
    return row === undefined ? undefined : jobFromRow(row)
  }

  /** Running jobs whose worker stopped heartbeating: cancelled if asked, failed if out of attempts. */
  private async expireAbandoned(now: number): Promise<void> {
    const abandoned = (eb: Jobs) =>
      eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)])
    const released = { finished_at: now, lease_owner: null, lease_expires_at: null }
    await this.db
      .updateTable('jobs')
      .set({ ...released, status: 'cancelled' })
      .where(abandoned)
      .where('cancel_requested', '<>', 0)
      .execute()
    const error: JobError = {
      code: 'INTERNAL_ERROR',
      message: 'the worker running the job stopped responding and no attempts are left',
    }
    await this.db
      .updateTable('jobs')
      .set({ ...released, status: 'failed', error: JSON.stringify(error) })
      .where(abandoned)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .execute()
  }

  /** Renews the lease; tells the worker whether to stop. */
  async heartbeat(jobId: string, workerId: string, leaseMs: number): Promise<HeartbeatResult> {
    const row = await this.db
      .updateTable('jobs')
      .set({ lease_expires_at: this.now() + leaseMs })
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .returning('cancel_requested')
      .executeTakeFirst()
    if (row === undefined) return { cancelRequested: false, leaseLost: true }
    return { cancelRequested: Number(row.cancel_requested) !== 0, leaseLost: false }
  }

  /** Records progress; with `workerId`, only while that worker holds the lease. */
  async progress(
    jobId: string,
    progress: { done: number; total: number; message?: string },
    workerId?: string,
  ): Promise<void> {
    let update = this.db
      .updateTable('jobs')
      .set({
        progress_done: progress.done,
        progress_total: progress.total,
        progress_message: progress.message ?? null,
      })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
    if (workerId !== undefined) update = update.where('lease_owner', '=', workerId)
    await update.execute()
  }

  /** Appends a log line; with `workerId`, only while that worker holds the lease. */
  async appendLog(
    jobId: string,
    level: JobLogLevel,
    message: string,
    workerId?: string,
  ): Promise<void> {
    if (workerId !== undefined && !(await this.holds(jobId, workerId))) return
    await this.logLines.append(jobId, level, message)
  }

  private async holds(jobId: string, workerId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    return row !== undefined
  }

  /** Stores the result; false when the worker no longer holds the lease (nothing is written). */
  async complete(jobId: string, workerId: string, result: unknown): Promise<boolean> {
    return this.finish(jobId, workerId, { status: 'succeeded', result: resultJson(result) })
  }

  /**
   * Records a failure. With `retry`, a job with attempts left goes back to the queue (keeping the
   * error of the last attempt); otherwise it fails for good.
   */
  async fail(
    jobId: string,
    workerId: string,
    error: JobError,
    options: { retry?: boolean } = {},
  ): Promise<boolean> {
    const errorJson = JSON.stringify({ code: error.code, message: error.message })
    if (options.retry === true) {
      const result = await this.db
        .updateTable('jobs')
        .set({ status: 'queued', error: errorJson, lease_owner: null, lease_expires_at: null })
        .where('id', '=', jobId)
        .where('lease_owner', '=', workerId)
        .where('status', '=', 'running')
        .where('cancel_requested', '=', 0)
        .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
        .executeTakeFirst()
      if (result.numUpdatedRows > 0n) return true
    }
    return this.finish(jobId, workerId, { status: 'failed', error: errorJson })
  }

  /** The worker stopped on a cancel request. */
  async markCancelled(jobId: string, workerId: string): Promise<boolean> {
    return this.finish(jobId, workerId, { status: 'cancelled' })
  }

  /** Puts a job back in the queue without counting the attempt (the worker is shutting down). */
  async release(jobId: string, workerId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'queued',
        attempts: eb('attempts', '-', 1),
        lease_owner: null,
        lease_expires_at: null,
        started_at: null,
      }))
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  private async finish(
    jobId: string,
    workerId: string,
    values: { status: JobStatus; result?: string | null; error?: string },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ ...values, finished_at: this.now(), lease_owner: null, lease_expires_at: null })
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /**
   * A queued job is cancelled at once; a running one is marked, and its worker aborts it at its
   * next heartbeat. Cancelling a cancelled job is a no-op; a finished one is INVALID_STATE.
   */
  async requestCancel(jobId: string): Promise<JobRecord> {
    const now = this.now()
    await this.db
      .updateTable('jobs')
      .set({ status: 'cancelled', finished_at: now, cancel_requested: 1 })
      .where('id', '=', jobId)
      .where('status', '=', 'queued')
      .execute()
    await this.db
      .updateTable('jobs')
      .set({ cancel_requested: 1 })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .execute()
    const job = await this.require(jobId)
    if (job.status === 'succeeded' || job.status === 'failed') {
      throw new AppError('INVALID_STATE', `job ${jobId} has ${job.status} already`)
    }
    return job
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirst()
    return row === undefined ? undefined : jobFromRow(row)
  }

  /** The job, or RESOURCE_DOES_NOT_EXIST naming the id. */
  async require(jobId: string): Promise<JobRecord> {
    const job = await this.get(jobId)
    if (job === undefined) throw new NotFoundError(`no job with id '${jobId}'`)
    return job
  }

  /** Newest first. */
  async list(options: ListJobsOptions): Promise<JobRecord[]> {
    let query = this.db.selectFrom('jobs').selectAll()
    if (options.status !== undefined) query = query.where('status', '=', options.status)
    if (options.kind !== undefined) query = query.where('kind', '=', options.kind)
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute()
    return rows.map(jobFromRow)
  }

  /** Log lines after `afterSeq`, oldest first. */
  logs(jobId: string, afterSeq: number, limit: number): Promise<JobLogLine[]> {
    return this.logLines.read(jobId, afterSeq, limit)
  }

  /** The job's payload as stored (JSON parsed). */
  async payload(jobId: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('jobs')
      .select('payload')
      .where('id', '=', jobId)
      .executeTakeFirst()
    if (row === undefined) throw new NotFoundError(`no job with id '${jobId}'`)
    return JSON.parse(row.payload)
  }

  registerWorker(worker: NewWorker): Promise<void> {
    return this.workers.register(worker)
  }

  workerHeartbeat(workerId: string): Promise<void> {
    return this.workers.heartbeat(workerId)
  }

  removeWorker(workerId: string): Promise<void> {
    return this.workers.remove(workerId)
  }

  /** Workers that heartbeat within `staleMs`, running `kind` when given. */
  liveWorkers(kind: string | undefined, staleMs: number): Promise<WorkerRecord[]> {
    return this.workers.live(kind, staleMs)
  }
}
