import type { Selectable } from 'kysely'
import type { MetadataStore, TriggerFiringsTable } from '../../storage/index.js'
import type { TriggerSpec } from '../pipelines/pipeline-types.js'
import type { Firing, FiringOutcome } from './trigger-types.js'

type FiringRow = Selectable<TriggerFiringsTable>

function toFiring(row: FiringRow): Firing {
  return {
    id: Number(row.id),
    time: Number(row.time),
    pipeline: row.pipeline,
    trigger: Number(row.trigger_index),
    kind: row.kind as TriggerSpec['kind'],
    reason: row.reason,
    values: JSON.parse(row.trigger_values) as Firing['values'],
    outcome: row.outcome as FiringOutcome,
    runId: row.run_id,
    error: row.error,
  }
}

/** Appends a firing to the log. */
export async function recordFiring(
  store: MetadataStore,
  firing: Omit<Firing, 'id'>,
): Promise<Firing> {
  const row = await store.db
    .insertInto('trigger_firings')
    .values({
      time: firing.time,
      pipeline: firing.pipeline,
      trigger_index: firing.trigger,
      kind: firing.kind,
      reason: firing.reason,
      trigger_values: JSON.stringify(firing.values),
      outcome: firing.outcome,
      run_id: firing.runId,
      error: firing.error,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toFiring(row)
}

/** A pipeline's firings, newest first; `limit` keeps the newest (100 by default). */
export async function listFirings(
  store: MetadataStore,
  pipeline: string,
  options: { limit?: number } = {},
): Promise<Firing[]> {
  const rows = await store.db
    .selectFrom('trigger_firings')
    .selectAll()
    .where('pipeline', '=', pipeline)
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
    .execute()
  return rows.map(toFiring)
}
