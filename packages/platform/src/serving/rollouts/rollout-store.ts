import { randomUUID } from 'node:crypto'
import { NotFoundError, type RolloutStatusWire } from '@ballast/contracts'
import type { Selectable } from 'kysely'
import type { MetadataStore, RolloutsTable } from '../../storage/index.js'

export type RolloutStatus = RolloutStatusWire

/** A measured figure of a rollout (error rates, latencies, accuracies, counts). */
export type RolloutFigures = Record<string, number | string | null>

/** A model version rolled out to a deployment: directly, or as a watched canary. */
export interface Rollout {
  id: string
  deployment: string
  model: string
  version: number
  /** The primary when the rollout started; null when it created the deployment. */
  fromVersion: number | null
  /** The canary's share; null for a direct deployment. */
  percent: number | null
  status: RolloutStatus
  /** The alias moved after a promotion, and the version it pointed at when the rollout began. */
  alias: string | null
  aliasVersion: number | null
  startedAt: number
  finishedAt: number | null
  figures: RolloutFigures
  reasons: string[]
  pipelineRun: string | null
  step: string | null
  createdBy: string
}

export type NewRollout = Omit<Rollout, 'id' | 'status' | 'finishedAt' | 'figures' | 'reasons'>

export interface RolloutStore {
  /** Records a rollout as `watching`. */
  start(input: NewRollout): Promise<Rollout>
  finish(
    id: string,
    outcome: { status: RolloutStatus; figures: RolloutFigures; reasons: string[]; time: number },
  ): Promise<Rollout>
  get(id: string): Promise<Rollout>
  /** Newest first. */
  list(filter?: {
    deployment?: string
    status?: RolloutStatus
    pipelineRun?: string
    limit?: number
  }): Promise<Rollout[]>
  /** The last rollout a pipeline run's step started: a retried step resumes or repeats it. */
  latestFor(pipelineRun: string, step: string): Promise<Rollout | null>
}

const num = (v: number | null) => (v === null ? null : Number(v))

function fromRow(row: Selectable<RolloutsTable>): Rollout {
  return {
    id: row.id,
    deployment: row.deployment,
    model: row.model,
    version: Number(row.version),
    fromVersion: num(row.from_version),
    percent: num(row.percent),
    status: row.status as RolloutStatus,
    alias: row.alias,
    aliasVersion: num(row.alias_version),
    startedAt: Number(row.started_at),
    finishedAt: num(row.finished_at),
    figures: JSON.parse(row.figures) as RolloutFigures,
    reasons: JSON.parse(row.reasons) as string[],
    pipelineRun: row.pipeline_run,
    step: row.step,
    createdBy: row.created_by,
  }
}

const DEFAULT_LIMIT = 100

export function createRolloutStore(store: MetadataStore): RolloutStore {
  const db = store.db
  const get = async (id: string) => {
    const row = await db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw new NotFoundError(`Rollout '${id}' not found`)
    return fromRow(row)
  }
  return {
    get,
    async start(input) {
      const id = randomUUID().replaceAll('-', '')
      await db
        .insertInto('rollouts')
        .values({
          id,
          deployment: input.deployment,
          model: input.model,
          version: input.version,
          from_version: input.fromVersion,
          percent: input.percent,
          status: 'watching',
          alias: input.alias,
          alias_version: input.aliasVersion,
          started_at: input.startedAt,
          finished_at: null,
          figures: '{}',
          reasons: '[]',
          pipeline_run: input.pipelineRun,
          step: input.step,
          created_by: input.createdBy,
        })
        .execute()
      return get(id)
    },
    async finish(id, outcome) {
      await db
        .updateTable('rollouts')
        .set({
          status: outcome.status,
          figures: JSON.stringify(outcome.figures),
          reasons: JSON.stringify(outcome.reasons),
          finished_at: outcome.time,
        })
        .where('id', '=', id)
        .execute()
      return get(id)
    },
    async list(filter = {}) {
      let q = db.selectFrom('rollouts').selectAll()
      if (filter.deployment !== undefined) q = q.where('deployment', '=', filter.deployment)
      if (filter.status !== undefined) q = q.where('status', '=', filter.status)
      if (filter.pipelineRun !== undefined) q = q.where('pipeline_run', '=', filter.pipelineRun)
      const rows = await q
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit ?? DEFAULT_LIMIT)
        .execute()
      return rows.map(fromRow)
    },
    async latestFor(pipelineRun, step) {
      const row = await db
        .selectFrom('rollouts')
        .selectAll()
        .where('pipeline_run', '=', pipelineRun)
        .where('step', '=', step)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      return row === undefined ? null : fromRow(row)
    },
  }
}
