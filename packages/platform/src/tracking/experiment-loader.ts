import type { MlflowExperiment, MlflowKeyValue, MlflowLifecycleStage } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import type { DatabaseSchema } from '../storage/index.js'
import { IN_LIST_SIZE, chunked } from './sql-chunks.js'

/** Builds full Experiment entities for a list of ids in two queries per 500 ids, keeping order. */
export async function loadExperiments(
  db: Kysely<DatabaseSchema>,
  experimentIds: readonly number[],
): Promise<MlflowExperiment[]> {
  if (experimentIds.length === 0) return []
  const rows = []
  const tags = new Map<number, MlflowKeyValue[]>()
  for (const ids of chunked(experimentIds, IN_LIST_SIZE)) {
    const [experimentRows, tagRows] = await Promise.all([
      db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute(),
      db
        .selectFrom('experiment_tags')
        .select(['experiment_id', 'key', 'value'])
        .where('experiment_id', 'in', ids)
        .execute(),
    ])
    rows.push(...experimentRows)
    for (const tag of tagRows) {
      const list = tags.get(tag.experiment_id) ?? []
      list.push({ key: tag.key, value: tag.value })
      tags.set(tag.experiment_id, list)
    }
  }
  const byId = new Map(rows.map((row) => [row.experiment_id, row]))
  const out: MlflowExperiment[] = []
  for (const id of experimentIds) {
    const row = byId.get(id)
    if (row === undefined) continue
    const experiment: MlflowExperiment = {
      experiment_id: String(row.experiment_id),
      name: row.name,
      artifact_location: row.artifact_location,
      lifecycle_stage: row.lifecycle_stage as MlflowLifecycleStage,
      last_update_time: row.last_update_time,
      creation_time: row.creation_time,
    }
    const experimentTags = tags.get(id)
    if (experimentTags !== undefined) experiment.tags = experimentTags.sort(byKey)
    out.push(experiment)
  }
  return out
}

/** Code-unit order, the same on every backend (SQL ORDER BY follows the database's collation). */
export function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}
