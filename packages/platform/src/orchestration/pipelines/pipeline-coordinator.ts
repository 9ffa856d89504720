import { FINAL_JOB_STATUSES } from '@ballast/contracts'
import type { JobQueue } from '../../storage/jobs/index.js'
import type { PipelineStepsTable } from '../../storage/index.js'
import { type ReferenceScope, conditionHolds, stepDependencies } from './pipeline-refs.js'
import { type Db, FINAL_STEP_STATUSES, loadRunRows } from './pipeline-store.js'
import type { RunTrigger, StepOutputs, StepSpec } from './pipeline-types.js'

/** The job kind that runs one attempt of one pipeline step. */
export const PIPELINE_STEP_JOB = 'pipeline-step'
export const DEFAULT_STEP_ATTEMPTS = 3
export const DEFAULT_BACKOFF_MS = 2_000

/** What a `pipeline-step` job is enqueued with. */
export interface PipelineStepPayload {
  runId: string
  step: string
  attempt: number
}

/** What a step job needs to run: its spec, and the values its references read. */
export interface StepState {
  pipeline: string
  step: StepSpec
  row: PipelineStepsTable
  runStatus: string
  scope: ReferenceScope
}

export interface StepResult {
  status: 'succeeded' | 'cached'
  outputs: StepOutputs
  cacheKey: string | null
  trackingRunId: string | null
}

const DONE = new Set(['succeeded', 'cached'])

/**
 * Moves runs forward. Called when a run starts, when a step ends, and by the resume check; every
 * change is a compare-and-set on the step's status (and job), so two coordinators racing on one
 * run (a worker and a server's resume check) enqueue each step once.
 */
export class PipelineCoordinator {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly now: () => number,
    private readonly backoffMs: number,
  ) {}

  async stepState(runId: string, stepName: string): Promise<StepState> {
    const { row, spec, steps } = await loadRunRows(this.db, runId)
    const step = spec.steps.find((s) => s.name === stepName)
    const stepRow = steps.find((s) => s.step === stepName)
    if (step === undefined || stepRow === undefined) {
      throw new Error(`pipeline run ${runId} has no step '${stepName}'`)
    }
    return {
      pipeline: row.pipeline,
      step,
      row: stepRow,
      runStatus: row.status,
      scope: {
        params: JSON.parse(row.params) as ReferenceScope['params'],
        trigger: JSON.parse(row.trigger) as RunTrigger,
        steps: Object.fromEntries(
          steps
            .filter((s) => DONE.has(s.status) && s.outputs !== null)
            .map((s) => [s.step, JSON.parse(s.outputs!) as StepOutputs]),
        ),
      },
    }
  }

  /** Enqueues every step whose dependencies are done, skips those whose `if` is false. */
  async advance(runId: string): Promise<void> {
    for (;;) {
      const { row, spec, steps } = await loadRunRows(this.db, runId)
      if (row.status !== 'running') return
      const status = new Map(steps.map((s) => [s.step, s.status]))
      if (steps.every((s) => FINAL_STEP_STATUSES.includes(s.status as never))) {
        const failed = steps.find((s) => s.status === 'failed')
        await this.finishRun(runId, failed === undefined ? 'succeeded' : 'failed', failed)
        return
      }
      let changed = false
      for (const step of spec.steps) {
        if (status.get(step.name) !== 'pending') continue
        const deps = stepDependencies(step).map((d) => status.get(d))
        if (deps.some((d) => d === 'skipped')) {
          changed = (await this.setPending(runId, step.name, 'skipped')) || changed
          continue
        }
        if (!deps.every((d) => d !== undefined && DONE.has(d))) continue
        const { scope } = await this.stepState(runId, step.name)
        let holds: boolean
        try {
          holds = conditionHolds(step.if, scope)
        } catch (error) {
          await this.failRun(runId, `step '${step.name}': ${(error as Error).message}`)
          return
        }
        if (!holds) changed = (await this.setPending(runId, step.name, 'skipped')) || changed
        else changed = (await this.enqueue(runId, step.name, 1, undefined)) || changed
      }
      if (!changed) return
    }
  }

  private async setPending(runId: string, step: string, to: 'skipped'): Promise<boolean> {
    const now = this.now()
    const r = await this.db
      .updateTable('pipeline_steps')
      .set({ status: to, started_at: now, finished_at: now })
      .where('run_id', '=', runId)
      .where('step', '=', step)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return r.numUpdatedRows > 0n
  }

  /** Takes the step (pending, or running on `fromJob` for a retry) and enqueues an attempt. */
  private async enqueue(
    runId: string,
    step: string,
    attempt: number,
    fromJob: string | undefined,
    options: { runAfter?: number; error?: string } = {},
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      let take = trx
        .updateTable('pipeline_steps')
        .set({ status: 'running', attempts: attempt, error: options.error ?? null })
        .where('run_id', '=', runId)
        .where('step', '=', step)
      take =
        fromJob === undefined
          ? take.where('status', '=', 'pending')
          : take.where('status', '=', 'running').where('job_id', '=', fromJob)
      if ((await take.executeTakeFirst()).numUpdatedRows === 0n) return false
      const payload: PipelineStepPayload = { runId, step, attempt }
      const job = await this.jobs.enqueue({
        kind: PIPELINE_STEP_JOB,
        payload,
        createdBy: `system:pipeline:${await this.pipelineOf(trx, runId)}`,
        // The step's own attempts are counted here; a worker lost mid-step fails the job, and
        // the resume check turns that into the step's next attempt.
        maxAttempts: 1,
        ...(options.runAfter === undefined ? {} : { runAfter: options.runAfter }),
        db: trx,
      })
      await trx
        .updateTable('pipeline_steps')
        .set((eb) => ({
          job_id: job.id,
          started_at: eb.fn.coalesce('started_at', eb.val(this.now())),
        }))
        .where('run_id', '=', runId)
        .where('step', '=', step)
        .execute()
      return true
    })
  }

  private async pipelineOf(db: Db, runId: string): Promise<string> {
    const row = await db
      .selectFrom('pipeline_runs')
      .select('pipeline')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow()
    return row.pipeline
  }

  /** Outputs an earlier run stored under this cache key. */
  async cached(
    cacheKey: string,
  ): Promise<{ outputs: StepOutputs; trackingRunId: string | null } | undefined> {
    const row = await this.db
      .selectFrom('step_cache')
      .select(['outputs', 'tracking_run_id'])
      .where('cache_key', '=', cacheKey)
      .executeTakeFirst()
    if (row === undefined) return undefined
    return { outputs: JSON.parse(row.outputs) as StepOutputs, trackingRunId: row.tracking_run_id }
  }

  /** Records a finished step (once: only while `jobId` holds it) and remembers it in the cache. */
  async completeStep(
    runId: string,
    step: string,
    jobId: string,
    result: StepResult,
  ): Promise<boolean> {
    const now = this.now()
    const done = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('pipeline_steps')
        .set({
          status: result.status,
          outputs: JSON.stringify(result.outputs),
          cache_key: result.cacheKey,
          tracking_run_id: result.trackingRunId,
          error: null,
          finished_at: now,
        })
        .where('run_id', '=', runId)
        .where('step', '=', step)
        .where('status', '=', 'running')
        .where('job_id', '=', jobId)
        .executeTakeFirst()
      if (r.numUpdatedRows === 0n) return false
      if (result.status === 'succeeded' && result.cacheKey !== null) {
        const kind = await trx
          .selectFrom('pipeline_steps')
          .select('kind')
          .where('run_id', '=', runId)
          .where('step', '=', step)
          .executeTakeFirstOrThrow()
        await trx.deleteFrom('step_cache').where('cache_key', '=', result.cacheKey).execute()
        await trx
          .insertInto('step_cache')
          .values({
            cache_key: result.cacheKey,
            kind: kind.kind,
            outputs: JSON.stringify(result.outputs),
            source_run_id: runId,
            source_step: step,
            tracking_run_id: result.trackingRunId,
            created_at: now,
          })
          .execute()
      }
      return true
    })
    return done
  }

  /**
   * Records a failed attempt: with attempts left, the next is enqueued to wait out its backoff
   * (2 s × 2^(attempt−1)); otherwise the step and its run fail.
   */
  async failStep(
    runId: string,
    step: string,
    jobId: string,
    message: string,
    options: { retry?: boolean } = {},
  ): Promise<void> {
    const { spec, steps } = await loadRunRows(this.db, runId)
    const row = steps.find((s) => s.step === step)
    if (row === undefined || row.status !== 'running' || row.job_id !== jobId) return
    const attempts = Number(row.attempts)
    const max = spec.steps.find((s) => s.name === step)?.retries ?? DEFAULT_STEP_ATTEMPTS
    if (attempts < max && options.retry !== false) {
      const runAfter = this.now() + this.backoffMs * 2 ** (attempts - 1)
      await this.enqueue(runId, step, attempts + 1, jobId, { runAfter, error: message })
      return
    }
    const r = await this.db
      .updateTable('pipeline_steps')
      .set({ status: 'failed', error: message, finished_at: this.now() })
      .where('run_id', '=', runId)
      .where('step', '=', step)
      .where('job_id', '=', jobId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (r.numUpdatedRows > 0n) {
      await this.failRun(runId, `step '${step}' failed after ${attempts} attempts: ${message}`)
    }
  }

  private async failRun(runId: string, error: string): Promise<void> {
    await this.finishRun(runId, 'failed', undefined, error)
  }

  private async finishRun(
    runId: string,
    status: 'succeeded' | 'failed',
    failedStep?: PipelineStepsTable,
    error?: string,
  ): Promise<void> {
    const message =
      error ??
      (failedStep === undefined ? null : `step '${failedStep.step}' failed: ${failedStep.error}`)
    const r = await this.db
      .updateTable('pipeline_runs')
      .set({ status, error: message, finished_at: this.now() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (r.numUpdatedRows > 0n && status === 'failed') await this.stopSteps(runId, 'the run failed')
  }

  /** Pending steps are skipped; running ones' jobs are asked to stop and the steps fail. */
  async stopSteps(runId: string, reason: string): Promise<void> {
    const now = this.now()
    await this.db
      .updateTable('pipeline_steps')
      .set({ status: 'skipped', finished_at: now })
      .where('run_id', '=', runId)
      .where('status', '=', 'pending')
      .execute()
    const running = await this.db
      .selectFrom('pipeline_steps')
      .select(['step', 'job_id'])
      .where('run_id', '=', runId)
      .where('status', '=', 'running')
      .execute()
    for (const s of running) {
      if (s.job_id !== null) await this.jobs.requestCancel(s.job_id).catch(() => undefined)
      await this.db
        .updateTable('pipeline_steps')
        .set({ status: 'failed', error: reason, finished_at: now })
        .where('run_id', '=', runId)
        .where('step', '=', s.step)
        .where('status', '=', 'running')
        .execute()
    }
  }

  /**
   * The resume check: runs still `running` whose step jobs ended without the run moving on (the
   * process died between a job's end and the coordinator) are brought up to date and advanced.
   * Returns the runs looked at.
   */
  async resume(): Promise<number> {
    const runs = await this.db
      .selectFrom('pipeline_runs')
      .select('id')
      .where('status', '=', 'running')
      .execute()
    for (const { id } of runs) {
      const { steps } = await loadRunRows(this.db, id)
      for (const s of steps) {
        if (s.status !== 'running' || s.job_id === null) continue
        const job = await this.jobs.get(s.job_id)
        if (job === undefined) {
          await this.failStep(id, s.step, s.job_id, 'its job is gone')
          continue
        }
        if (!FINAL_JOB_STATUSES.includes(job.status)) continue
        const result = job.result as Partial<StepResult> | null
        if (job.status === 'succeeded' && result?.outputs !== undefined) {
          await this.completeStep(id, s.step, job.id, {
            status: result.status === 'cached' ? 'cached' : 'succeeded',
            outputs: result.outputs,
            cacheKey: result.cacheKey ?? null,
            trackingRunId: result.trackingRunId ?? null,
          })
        } else {
          const message = job.error?.message ?? `job ${job.id} ended ${job.status}`
          await this.failStep(id, s.step, job.id, message)
        }
      }
      await this.advance(id)
    }
    return runs.length
  }
}
