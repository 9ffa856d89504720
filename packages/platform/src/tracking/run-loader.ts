import type {
  MlflowDatasetInput,
  MlflowKeyValue,
  MlflowLifecycleStage,
  MlflowMetric,
  MlflowRun,
  MlflowRunInfo,
  MlflowRunStatus,
} from '@ballast/contracts'
import type { Kysely, Selectable } from 'kysely'
import type { DatabaseSchema, RunsTable } from '../storage/index.js'
import { byKey } from './experiment-loader.js'
import { IN_LIST_SIZE, chunked } from './sql-chunks.js'
import { toWireValue } from './stored-values.js'

type Db = Kysely<DatabaseSchema>

export function toRunInfo(row: Selectable<RunsTable>): MlflowRunInfo {
  return {
    run_id: row.run_uuid,
    run_uuid: row.run_uuid,
    run_name: row.name,
    experiment_id: String(row.experiment_id),
    user_id: row.user_id,
    status: row.status as MlflowRunStatus,
    start_time: row.start_time,
    // protobuf's JSON leaves an unset field out rather than writing null.
    ...(row.end_time === null ? {} : { end_time: row.end_time }),
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage as MlflowLifecycleStage,
  }
}

function push<T>(map: Map<string, T[]>, id: string, item: T): void {
  const list = map.get(id)
  if (list === undefined) map.set(id, [item])
  else list.push(item)
}

function byDataset(a: MlflowDatasetInput, b: MlflowDatasetInput): number {
  const name = byKey({ key: a.dataset.name }, { key: b.dataset.name })
  return name !== 0 ? name : byKey({ key: a.dataset.digest }, { key: b.dataset.digest })
}

/** Dataset inputs of the runs, with their tags: two queries per 500 runs. */
async function loadInputs(db: Db, runIds: string[]): Promise<Map<string, MlflowDatasetInput[]>> {
  const inputs = await db
    .selectFrom('inputs')
    .innerJoin('datasets', 'datasets.dataset_uuid', 'inputs.source_id')
    .select([
      'inputs.input_uuid',
      'inputs.destination_id',
      'datasets.name',
      'datasets.digest',
      'datasets.source_type',
      'datasets.source',
      'datasets.schema',
      'datasets.profile',
    ])
    .where('inputs.source_type', '=', 'DATASET')
    .where('inputs.destination_type', '=', 'RUN')
    .where('inputs.destination_id', 'in', runIds)
    .execute()
  const out = new Map<string, MlflowDatasetInput[]>()
  if (inputs.length === 0) return out
  const tags = new Map<string, MlflowKeyValue[]>()
  for (const ids of chunked(
    inputs.map((i) => i.input_uuid),
    IN_LIST_SIZE,
  )) {
    const rows = await db
      .selectFrom('input_tags')
      .select(['input_uuid', 'key', 'value'])
      .where('input_uuid', 'in', ids)
      .execute()
    for (const row of rows) push(tags, row.input_uuid, { key: row.key, value: row.value })
  }
  for (const input of inputs) {
    const dataset: MlflowDatasetInput['dataset'] = {
      name: input.name,
      digest: input.digest,
      source_type: input.source_type,
      source: input.source,
    }
    if (input.schema !== null) dataset.schema = input.schema
    if (input.profile !== null) dataset.profile = input.profile
    const inputTags = tags.get(input.input_uuid)
    const entry: MlflowDatasetInput =
      inputTags === undefined ? { dataset } : { tags: inputTags.sort(byKey), dataset }
    push(out, input.destination_id, entry)
  }
  for (const list of out.values()) list.sort(byDataset)
  return out
}

/**
 * Builds full Run entities (info, latest metrics, params, tags, dataset inputs) for a list of ids
 * in a handful of queries per 500 runs, never one query per run. Runs come back in the order of
 * `runIds`; ids that name no run are skipped.
 */
export async function loadRuns(db: Db, runIds: readonly string[]): Promise<MlflowRun[]> {
  if (runIds.length === 0) return []
  const runs = new Map<string, Selectable<RunsTable>>()
  const metrics = new Map<string, MlflowMetric[]>()
  const params = new Map<string, MlflowKeyValue[]>()
  const tags = new Map<string, MlflowKeyValue[]>()
  const inputs = new Map<string, MlflowDatasetInput[]>()
  for (const ids of chunked(runIds, IN_LIST_SIZE)) {
    const [runRows, metricRows, paramRows, tagRows, inputMap] = await Promise.all([
      db.selectFrom('runs').selectAll().where('run_uuid', 'in', ids).execute(),
      db
        .selectFrom('latest_metrics')
        .select(['run_uuid', 'key', 'value', 'timestamp', 'step', 'is_nan'])
        .where('run_uuid', 'in', ids)
        .execute(),
      db
        .selectFrom('params')
        .select(['run_uuid', 'key', 'value'])
        .where('run_uuid', 'in', ids)
        .execute(),
      db
        .selectFrom('tags')
        .select(['run_uuid', 'key', 'value'])
        .where('run_uuid', 'in', ids)
        .execute(),
      loadInputs(db, ids),
    ])
    for (const row of runRows) runs.set(row.run_uuid, row)
    for (const m of metricRows) {
      push(metrics, m.run_uuid, {
        key: m.key,
        value: toWireValue(m.value, m.is_nan),
        timestamp: m.timestamp,
        step: m.step,
      })
    }
    for (const p of paramRows) push(params, p.run_uuid, { key: p.key, value: p.value })
    for (const t of tagRows) push(tags, t.run_uuid, { key: t.key, value: t.value })
    for (const [id, list] of inputMap) inputs.set(id, list)
  }
  const out: MlflowRun[] = []
  for (const id of runIds) {
    const row = runs.get(id)
    if (row === undefined) continue
    const run: MlflowRun = { info: toRunInfo(row), data: {}, inputs: {} }
    const runMetrics = metrics.get(id)
    const runParams = params.get(id)
    const runTags = tags.get(id)
    const runInputs = inputs.get(id)
    if (runMetrics !== undefined) run.data.metrics = runMetrics.sort(byKey)
    if (runParams !== undefined) run.data.params = runParams.sort(byKey)
    if (runTags !== undefined) run.data.tags = runTags.sort(byKey)
    if (runInputs !== undefined) run.inputs.dataset_inputs = runInputs
    out.push(run)
  }
  return out
}
