import { InvalidParameterError, NotFoundError } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import type { DatabaseSchema, MetadataStore } from '../storage/index.js'
import { requireActiveRun } from './guards.js'
import { type MetricPoint, MetricWriter } from './metric-writer.js'
import { IN_LIST_SIZE, chunked } from './sql-chunks.js'
import {
  LIMITS,
  checkBatchLimit,
  validateKey,
  validateParam,
  validateTag,
  validateTimestamp,
} from './validation.js'
import { WriteCoalescer } from './write-coalescer.js'

type Db = Kysely<DatabaseSchema>

/** The tag MLflow mirrors into the run's name, both ways. */
export const RUN_NAME_TAG = 'mlflow.runName'

export interface KeyValue {
  key: string
  value: string
}

export interface MetricInput {
  key: string
  value: number
  timestamp: number
  step?: number | undefined
}

export interface LogBatchInput {
  metrics?: readonly MetricInput[]
  params?: readonly KeyValue[]
  tags?: readonly KeyValue[]
}

/**
 * Everything logged to a run: metrics, params, tags. Every write validates its whole input first,
 * then runs as one unit (its own transaction, or its own savepoint in a group commit), so a refused
 * request writes nothing.
 */
export class LoggingService {
  private readonly metricWriter: MetricWriter
  private readonly writes: WriteCoalescer

  constructor(private readonly store: MetadataStore) {
    this.metricWriter = new MetricWriter(store.capabilities.maxBindParameters)
    this.writes = new WriteCoalescer(store)
  }

  async logMetric(runId: string, metric: MetricInput): Promise<void> {
    const points = validateMetrics([metric], () => '')
    await this.writes.run(async (trx) => {
      await requireActiveRun(trx, runId)
      await this.metricWriter.write(trx, runId, points)
    })
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    validateParam(key, value, '')
    await this.writes.run(async (trx) => {
      await requireActiveRun(trx, runId)
      await writeParams(trx, runId, [{ key, value }])
    })
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateTag(key, value, '')
    await this.writes.run(async (trx) => {
      await requireActiveRun(trx, runId)
      await writeTags(trx, runId, [{ key, value }])
    })
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.writes.run(async (trx) => {
      await requireActiveRun(trx, runId)
      const result = await trx
        .deleteFrom('tags')
        .where('run_uuid', '=', runId)
        .where('key', '=', key)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) {
        throw new NotFoundError(`No tag with name: ${key} in run with id ${runId}`)
      }
    })
  }

  /** MLflow's log-batch: params, then metrics, then tags, all or nothing. */
  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const metrics = batch.metrics ?? []
    const params = batch.params ?? []
    const tags = batch.tags ?? []
    checkBatchLimit('metrics', LIMITS.metricsPerBatch, metrics.length)
    checkBatchLimit('params', LIMITS.paramsPerBatch, params.length)
    checkBatchLimit('tags', LIMITS.tagsPerBatch, tags.length)
    checkBatchLimit(
      'metrics, params, and tags',
      LIMITS.entitiesPerBatch,
      metrics.length + params.length + tags.length,
    )
    const points = validateMetrics(metrics, (i) => `metrics[${i}].`)
    params.forEach((p, i) => validateParam(p.key, p.value, `params[${i}].`))
    tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}].`))
    checkUniqueParamKeys(params)
    if (points.length + params.length + tags.length === 0) {
      // Nothing to write, but MLflow still answers for a run that is missing or not active.
      await requireActiveRun(this.store.db, runId)
      return
    }
    await this.writes.run(async (trx) => {
      await requireActiveRun(trx, runId)
      await writeParams(trx, runId, params)
      await this.metricWriter.write(trx, runId, points)
      await writeTags(trx, runId, tags)
    })
  }
}

/** Validates in one pass; a key repeated across points is checked once. */
function validateMetrics(
  metrics: readonly MetricInput[],
  prefix: (i: number) => string,
): MetricPoint[] {
  const checkedKeys = new Set<string>()
  const points: MetricPoint[] = new Array(metrics.length)
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i] as MetricInput
    if (!checkedKeys.has(m.key)) {
      validateKey(m.key, `${prefix(i)}key`)
      checkedKeys.add(m.key)
    }
    // The field's name is built only for a refusal: this runs for every point of every batch.
    validateTimestamp(m.timestamp, m.key, () => `${prefix(i)}timestamp`)
    points[i] = { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step ?? 0 }
  }
  return points
}

function checkUniqueParamKeys(params: readonly KeyValue[]): void {
  const seen = new Set<string>()
  const dupes = new Set<string>()
  for (const p of params) (seen.has(p.key) ? dupes : seen).add(p.key)
  if (dupes.size > 0) {
    throw new InvalidParameterError(
      `Duplicate parameter keys have been submitted: ${[...dupes].map((k) => `'${k}'`).join(', ')}. ` +
        'Please ensure the request contains only one param value per param key.',
    )
  }
}

function changedParam(
  runId: string,
  key: string,
  old: string,
  attempted: string,
): InvalidParameterError {
  return new InvalidParameterError(
    `Changing param values is not allowed. Param with key='${key}' was already logged with ` +
      `value='${old}' for run ID='${runId}'. Attempted logging new value '${attempted}'.`,
  )
}

/**
 * Params are write-once: the same value again is a no-op, another value is refused. The insert
 * skips keys present already; those keys are then compared, which also catches a concurrent
 * writer that stored a different value between our read and our insert.
 */
async function writeParams(db: Db, runId: string, params: readonly KeyValue[]): Promise<void> {
  if (params.length === 0) return
  const inserted = await db
    .insertInto('params')
    .values(params.map((p) => ({ run_uuid: runId, key: p.key, value: p.value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
    .returning('key')
    .execute()
  if (inserted.length === params.length) return
  const fresh = new Set(inserted.map((row) => row.key))
  const existingKeys = params.filter((p) => !fresh.has(p.key)).map((p) => p.key)
  const stored = new Map<string, string>()
  for (const keys of chunked(existingKeys, IN_LIST_SIZE)) {
    const rows = await db
      .selectFrom('params')
      .select(['key', 'value'])
      .where('run_uuid', '=', runId)
      .where('key', 'in', keys)
      .execute()
    for (const row of rows) stored.set(row.key, row.value)
  }
  for (const p of params) {
    const old = stored.get(p.key)
    if (old !== undefined && old !== p.value) throw changedParam(runId, p.key, old, p.value)
  }
}

/** Tags are last-write-wins; `mlflow.runName` also renames the run, as in MLflow. */
export async function writeTags(db: Db, runId: string, tags: readonly KeyValue[]): Promise<void> {
  if (tags.length === 0) return
  // One row per key (the last one wins): an upsert may not touch the same row twice.
  const byKey = new Map<string, string>()
  for (const t of tags) byKey.set(t.key, t.value)
  await db
    .insertInto('tags')
    .values([...byKey].map(([key, value]) => ({ run_uuid: runId, key, value })))
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
    )
    .execute()
  const runName = byKey.get(RUN_NAME_TAG)
  if (runName !== undefined) {
    await db.updateTable('runs').set({ name: runName }).where('run_uuid', '=', runId).execute()
  }
}
