import { createHash } from 'node:crypto'
import { NotFoundError } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import { canonicalJson } from '../../governance/index.js'
import type {
  DatabaseSchema,
  PipelineRunsTable,
  PipelineStepsTable,
  PipelinesTable,
} from '../../storage/index.js'
import type {
  PipelineRecord,
  PipelineRun,
  PipelineRunStatus,
  PipelineSpec,
  RunTrigger,
  StepKindName,
  StepOutputs,
  StepRun,
  StepStatus,
} from './pipeline-types.js'

/** Rows of the pipeline tables and their domain shapes. */

export type Db = Kysely<DatabaseSchema>

/** Statuses a step never leaves. */
export const FINAL_STEP_STATUSES: readonly StepStatus[] = [
  'succeeded',
  'failed',
  'skipped',
  'cached',
]
export const FINAL_RUN_STATUSES: readonly PipelineRunStatus[] = ['succeeded', 'failed', 'cancelled']

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** SHA-256 of the canonical spec: the pipeline's version. */
export const specDigest = (spec: PipelineSpec) => sha256(canonicalJson(spec))

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

export function recordFromRow(row: PipelinesTable): PipelineRecord {
  return {
    name: row.name,
    spec: JSON.parse(row.spec) as PipelineSpec,
    digest: row.digest,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

export function stepFromRow(row: PipelineStepsTable): StepRun {
  return {
    runId: row.run_id,
    step: row.step,
    kind: row.kind as StepKindName,
    status: row.status as StepStatus,
    attempts: Number(row.attempts),
    jobId: row.job_id,
    cacheKey: row.cache_key,
    outputs: json<StepOutputs>(row.outputs),
    trackingRunId: row.tracking_run_id,
    error: row.error,
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  }
}

export function runFromRows(row: PipelineRunsTable, steps: PipelineStepsTable[]): PipelineRun {
  return {
    id: row.id,
    pipeline: row.pipeline,
    status: row.status as PipelineRunStatus,
    trigger: JSON.parse(row.trigger) as RunTrigger,
    params: JSON.parse(row.params) as PipelineRun['params'],
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    error: row.error,
    steps: [...steps].sort((a, b) => Number(a.position) - Number(b.position)).map(stepFromRow),
  }
}

export async function loadPipeline(db: Db, name: string): Promise<PipelinesTable> {
  const row = await db
    .selectFrom('pipelines')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  if (row === undefined) throw new NotFoundError(`pipeline '${name}' does not exist`)
  return row
}

/** A run's row, its frozen spec and its step rows. */
export async function loadRunRows(
  db: Db,
  id: string,
): Promise<{ row: PipelineRunsTable; spec: PipelineSpec; steps: PipelineStepsTable[] }> {
  const row = await db
    .selectFrom('pipeline_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  if (row === undefined) throw new NotFoundError(`pipeline run '${id}' does not exist`)
  const steps = await db
    .selectFrom('pipeline_steps')
    .selectAll()
    .where('run_id', '=', id)
    .orderBy('position')
    .execute()
  return { row, spec: JSON.parse(row.spec) as PipelineSpec, steps }
}

export async function loadRun(db: Db, id: string): Promise<PipelineRun> {
  const { row, steps } = await loadRunRows(db, id)
  return runFromRows(row, steps)
}
