import { InvalidParameterError, NotFoundError } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import type { DatabaseSchema } from '../storage/index.js'

/** Lookups that every tracking write starts with, and MLflow's wording when they fail. */

type Db = Kysely<DatabaseSchema>

export const ACTIVE = 'active'
export const DELETED = 'deleted'

export function experimentNotFound(experimentId: string | number): NotFoundError {
  return new NotFoundError(`No Experiment with id=${experimentId} exists`)
}

export function runNotFound(runId: string): NotFoundError {
  return new NotFoundError(`Run with id=${runId} not found`)
}

/** Experiment ids are decimal integers; anything else names no experiment. */
export function parseExperimentId(experimentId: string): number {
  const id = /^\d{1,15}$/.test(experimentId) ? Number(experimentId) : Number.NaN
  if (!Number.isSafeInteger(id)) throw experimentNotFound(experimentId)
  return id
}

export function requireActiveStage(
  kind: 'run' | 'experiment',
  id: string | number,
  stage: string,
  wanted: string = ACTIVE,
): void {
  if (stage !== wanted) {
    throw new InvalidParameterError(
      `The ${kind} ${id} must be in the '${wanted}' state. Current state is ${stage}.`,
    )
  }
}

export interface ExperimentRow {
  experiment_id: number
  name: string
  lifecycle_stage: string
  last_update_time: number
}

export async function requireExperiment(db: Db, experimentId: string): Promise<ExperimentRow> {
  const id = parseExperimentId(experimentId)
  const row = await db
    .selectFrom('experiments')
    .select(['experiment_id', 'name', 'lifecycle_stage', 'last_update_time'])
    .where('experiment_id', '=', id)
    .executeTakeFirst()
  if (row === undefined) throw experimentNotFound(experimentId)
  return row
}

export interface RunStateRow {
  run_uuid: string
  experiment_id: number
  name: string
  status: string
  end_time: number | null
  lifecycle_stage: string
  artifact_uri: string
  experiment_stage: string
}

export async function requireRun(db: Db, runId: string): Promise<RunStateRow> {
  const row = await db
    .selectFrom('runs')
    .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
    .select([
      'runs.run_uuid',
      'runs.experiment_id',
      'runs.name',
      'runs.status',
      'runs.end_time',
      'runs.lifecycle_stage',
      'runs.artifact_uri',
      'experiments.lifecycle_stage as experiment_stage',
    ])
    .where('runs.run_uuid', '=', runId)
    .executeTakeFirst()
  if (row === undefined) throw runNotFound(runId)
  return row
}

/** A run that may be written to: it and its experiment are active (MLflow refuses otherwise). */
export async function requireActiveRun(db: Db, runId: string): Promise<RunStateRow> {
  const run = await requireRun(db, runId)
  requireActiveStage('run', runId, run.lifecycle_stage)
  requireActiveStage('experiment', run.experiment_id, run.experiment_stage)
  return run
}
