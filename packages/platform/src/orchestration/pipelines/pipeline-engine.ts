import { randomBytes } from 'node:crypto'
import { AppError, InvalidParameterError } from '@ballast/contracts'
import { appendAudit } from '../../governance/index.js'
import type { MetadataStore } from '../../storage/index.js'
import type { JobQueue } from '../../storage/jobs/index.js'
import { DEFAULT_BACKOFF_MS, PipelineCoordinator } from './pipeline-coordinator.js'
import { checkPipelineSpec } from './pipeline-spec.js'
import {
  FINAL_RUN_STATUSES,
  loadPipeline,
  loadRun,
  recordFromRow,
  runFromRows,
  specDigest,
} from './pipeline-store.js'
import type {
  PipelineRecord,
  PipelineRun,
  PipelineRunStatus,
  PipelineService,
  PipelineSpec,
  RunTrigger,
} from './pipeline-types.js'

export interface PipelineEngineOptions {
  store: MetadataStore
  jobs: JobQueue
  now?: () => number
  /** The first retry's wait; each next one doubles it (default 2 s). */
  backoffMs?: number
}

const newRunId = () => randomBytes(16).toString('hex')

/**
 * Pipelines and their runs. Steps run as `pipeline-step` jobs; the coordinator enqueues them as
 * their dependencies finish. Every change writes its audit entry in its own transaction.
 */
export class PipelineEngine implements PipelineService {
  readonly coordinator: PipelineCoordinator
  private readonly now: () => number

  constructor(private readonly options: PipelineEngineOptions) {
    this.now = options.now ?? Date.now
    this.coordinator = new PipelineCoordinator(
      options.store.db,
      options.jobs,
      this.now,
      options.backoffMs ?? DEFAULT_BACKOFF_MS,
    )
  }

  private get db() {
    return this.options.store.db
  }

  /**
   * Registers a pipeline, or replaces the one of that name. The shape is checked again here;
   * checks of each step's `with` by its kind happen where the spec is read (HTTP, CLI).
   */
  async apply(
    spec: PipelineSpec,
    actor: string,
    options: { yaml?: string } = {},
  ): Promise<PipelineRecord> {
    const checked = checkPipelineSpec(spec, `pipeline ${String(spec?.name)}`)
    const digest = specDigest(checked)
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('pipelines')
        .selectAll()
        .where('name', '=', checked.name)
        .executeTakeFirst()
      if (before?.digest === digest) return
      const values = {
        spec_yaml: options.yaml ?? null,
        spec: JSON.stringify(checked),
        digest,
        updated_at: now,
      }
      if (before === undefined) {
        await trx
          .insertInto('pipelines')
          .values({ name: checked.name, created_by: actor, created_at: now, ...values })
          .execute()
      } else {
        await trx.updateTable('pipelines').set(values).where('name', '=', checked.name).execute()
      }
      await appendAudit(trx, {
        actor,
        action: 'pipeline.apply',
        target: `pipeline:${checked.name}`,
        before: before === undefined ? undefined : JSON.parse(before.spec),
        after: checked,
        detail: { digest },
        time: now,
      })
    })
    return this.get(checked.name)
  }

  async list(): Promise<PipelineRecord[]> {
    const rows = await this.db.selectFrom('pipelines').selectAll().orderBy('name').execute()
    return rows.map(recordFromRow)
  }

  async get(name: string): Promise<PipelineRecord> {
    return recordFromRow(await loadPipeline(this.db, name))
  }

  /** Starts a run of the pipeline as applied now; its first steps are enqueued at once. */
  async start(
    name: string,
    options: {
      trigger: RunTrigger
      params?: Record<string, string | number | boolean>
      actor: string
    },
  ): Promise<PipelineRun> {
    const pipeline = recordFromRow(await loadPipeline(this.db, name))
    const params = { ...pipeline.spec.params }
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (!(key in params)) {
        throw new InvalidParameterError(
          `params.${key}: pipeline '${name}' has no such param (it has: ${Object.keys(params).join(', ') || 'none'})`,
        )
      }
      params[key] = value
    }
    const id = newRunId()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('pipeline_runs')
        .values({
          id,
          pipeline: name,
          spec: JSON.stringify(pipeline.spec),
          spec_digest: pipeline.digest,
          status: 'running',
          trigger: JSON.stringify(options.trigger),
          params: JSON.stringify(params),
          created_by: options.actor,
          created_at: now,
          started_at: now,
          finished_at: null,
          error: null,
        })
        .execute()
      await trx
        .insertInto('pipeline_steps')
        .values(
          pipeline.spec.steps.map((step, position) => ({
            run_id: id,
            step: step.name,
            position,
            kind: step.kind,
            status: 'pending',
            attempts: 0,
            job_id: null,
            cache_key: null,
            outputs: null,
            tracking_run_id: null,
            error: null,
            started_at: null,
            finished_at: null,
          })),
        )
        .execute()
      await appendAudit(trx, {
        actor: options.actor,
        action: 'pipeline.run.start',
        target: `pipeline-run:${id}`,
        after: { pipeline: name, digest: pipeline.digest, params, trigger: options.trigger },
        detail: { pipeline: name, trigger: options.trigger.kind },
        time: now,
      })
    })
    await this.coordinator.advance(id)
    return this.run(id)
  }

  async runs(name: string, options: { since?: number; limit?: number } = {}) {
    await loadPipeline(this.db, name)
    let query = this.db
      .selectFrom('pipeline_runs')
      .selectAll()
      .where('pipeline', '=', name)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
    if (options.since !== undefined) query = query.where('created_at', '>=', options.since)
    const rows = await query.execute()
    if (rows.length === 0) return []
    const steps = await this.db
      .selectFrom('pipeline_steps')
      .selectAll()
      .where(
        'run_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()
    return rows.map((r) =>
      runFromRows(
        r,
        steps.filter((s) => s.run_id === r.id),
      ),
    )
  }

  run(id: string): Promise<PipelineRun> {
    return loadRun(this.db, id)
  }

  /** Stops a run: no step starts any more, and running step jobs are asked to stop. */
  async cancel(id: string, actor: string): Promise<PipelineRun> {
    const now = this.now()
    const cancelled = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('pipeline_runs')
        .set({ status: 'cancelled', finished_at: now, error: `cancelled by ${actor}` })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst()
      if (r.numUpdatedRows === 0n) return false
      await appendAudit(trx, {
        actor,
        action: 'pipeline.run.cancel',
        target: `pipeline-run:${id}`,
        time: now,
      })
      return true
    })
    if (!cancelled) {
      const run = await this.run(id)
      if (run.status === 'cancelled') return run
      throw new AppError('INVALID_STATE', `pipeline run ${id} has ${run.status} already`)
    }
    await this.coordinator.stopSteps(id, `cancelled by ${actor}`)
    return this.run(id)
  }
}

export const isFinalRunStatus = (status: PipelineRunStatus) => FINAL_RUN_STATUSES.includes(status)
