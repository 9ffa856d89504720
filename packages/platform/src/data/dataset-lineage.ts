import { datasetInputDigest } from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import type { DatasetRun } from './dataset-version.js'

const CONTEXT_TAG = 'mlflow.data.context'

/**
 * The runs that logged an input whose digest is one of `digests` (MLflow `log-inputs`, or the
 * SDK's `run.logInput`), by version digest. Lineage is a read across MLflow's input tables, which
 * tracking owns and writes; the join key is the version's digest cut to MLflow's 36-character
 * limit (`datasetInputDigest`), so any client that logs it is linked. Deleted runs are left out.
 */
export async function runsByDigest(
  store: MetadataStore,
  digests: readonly string[],
): Promise<Map<string, DatasetRun[]>> {
  const out = new Map<string, DatasetRun[]>()
  if (digests.length === 0) return out
  const byInputDigest = new Map(digests.map((d) => [datasetInputDigest(d), d]))
  const rows = await store.db
    .selectFrom('datasets as d')
    .innerJoin('inputs as i', (j) =>
      j
        .onRef('i.source_id', '=', 'd.dataset_uuid')
        .on('i.source_type', '=', 'DATASET')
        .on('i.destination_type', '=', 'RUN'),
    )
    .innerJoin('runs as r', 'r.run_uuid', 'i.destination_id')
    .leftJoin('input_tags as t', (j) =>
      j.onRef('t.input_uuid', '=', 'i.input_uuid').on('t.key', '=', CONTEXT_TAG),
    )
    .select([
      'd.digest as digest',
      'r.run_uuid as run_id',
      'r.name as run_name',
      'r.experiment_id as experiment_id',
      'r.status as status',
      'r.start_time as start_time',
      't.value as context',
    ])
    .where('d.digest', 'in', [...byInputDigest.keys()])
    .where('r.lifecycle_stage', '=', 'active')
    .orderBy('r.start_time', 'desc')
    .orderBy('r.run_uuid')
    .execute()
  for (const row of rows) {
    const digest = byInputDigest.get(row.digest)!
    const runs = out.get(digest) ?? []
    // The same run may have logged the digest under two names or experiments: list it once.
    if (runs.some((r) => r.runId === row.run_id)) continue
    runs.push({
      runId: row.run_id,
      runName: row.run_name,
      experimentId: String(row.experiment_id),
      status: row.status,
      context: row.context ?? null,
    })
    out.set(digest, runs)
  }
  return out
}
