import type { Insertable, Kysely } from 'kysely'
import type {
  DatabaseSchema,
  LatestMetricsTable,
  ParamsTable,
  RunsTable,
} from '../../../storage/schema.js'

/** One generated run, as a reference implementation in tests reads it. */
export interface BulkRun {
  id: string
  startTime: number
  active: boolean
  /** NaN for a NaN metric, undefined when the run did not log it. */
  acc: number | undefined
  loss: number | undefined
  lr: string
}

/**
 * Inserts `count` runs into experiment 1 with metrics `acc` (three decimals, so many ties; 1% NaN)
 * and `loss` (missing for 5%), param `lr`, and 2% deleted runs. Deterministic for a given count.
 */
export async function insertBulkRuns(
  db: Kysely<DatabaseSchema>,
  count: number,
): Promise<BulkRun[]> {
  let seed = 42
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
  const runs: BulkRun[] = []
  for (let i = 0; i < count; i++) {
    const nan = random() < 0.01
    const acc = nan ? NaN : Math.round(random() * 1000) / 1000
    const loss = random() < 0.05 ? undefined : random()
    runs.push({
      id: `run-${String(i).padStart(7, '0')}`,
      // A permutation of 0..count-1: distinct start times in an order unrelated to the ids.
      startTime: 1_700_000_000_000 + ((i * 7919) % count),
      active: random() >= 0.02,
      acc,
      loss,
      lr: ['0.1', '0.01', '0.001'][i % 3]!,
    })
  }

  await db
    .insertInto('experiments')
    .values({
      experiment_id: 1,
      name: 'bulk',
      artifact_location: 'mlflow-artifacts:/1',
      lifecycle_stage: 'active',
      creation_time: 1,
      last_update_time: 1,
    })
    .execute()
  const runRows: Insertable<RunsTable>[] = runs.map((r) => ({
    run_uuid: r.id,
    experiment_id: 1,
    name: r.id,
    user_id: 'bench',
    status: 'FINISHED',
    start_time: r.startTime,
    end_time: r.startTime + 1000,
    lifecycle_stage: r.active ? 'active' : 'deleted',
    artifact_uri: `mlflow-artifacts:/1/${r.id}/artifacts`,
    deleted_time: r.active ? null : r.startTime + 2000,
  }))
  const metricRows: Insertable<LatestMetricsTable>[] = runs.flatMap((r) => {
    const metric = (key: string, value: number) => ({
      run_uuid: r.id,
      key,
      value: Number.isNaN(value) ? 0 : value,
      is_nan: Number.isNaN(value) ? 1 : 0,
      timestamp: r.startTime,
      step: 0,
    })
    return r.loss === undefined
      ? [metric('acc', r.acc!)]
      : [metric('acc', r.acc!), metric('loss', r.loss)]
  })
  const paramRows: Insertable<ParamsTable>[] = runs.map((r) => ({
    run_uuid: r.id,
    key: 'lr',
    value: r.lr,
  }))

  await db.transaction().execute(async (tx) => {
    for (const batch of chunks(runRows, 3000)) await tx.insertInto('runs').values(batch).execute()
    for (const batch of chunks(metricRows, 5000)) {
      await tx.insertInto('latest_metrics').values(batch).execute()
    }
    for (const batch of chunks(paramRows, 10000))
      await tx.insertInto('params').values(batch).execute()
  })
  return runs
}

function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
}
