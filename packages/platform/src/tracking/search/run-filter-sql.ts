import { sql } from 'kysely'
import {
  DATASET_CONTEXT_TAG,
  RUN_NAME_TAG,
  type Comparison,
  type EntityType,
} from './search-grammar.js'
import { compare, type CompareOptions, type Condition } from './sql-compare.js'

/**
 * Compiles run filter comparisons to SQL conditions on the run row aliased `r`. Metrics, params
 * and tags are correlated EXISTS lookups on their (run_uuid, key) primary keys, so a clause costs
 * one index probe per candidate run.
 */

export type KeyedTable = 'latest_metrics' | 'params' | 'tags'

/** The table holding a keyed value, or undefined for fields stored on the run row. */
export function keyedTable(type: EntityType, key: string): KeyedTable | undefined {
  if (type === 'metric') return 'latest_metrics'
  if (type === 'param') return 'params'
  // MLflow keeps this tag equal to the run's name: read the column, which every run has.
  if (type === 'tag' && key !== RUN_NAME_TAG) return 'tags'
  return undefined
}

const RUN_COLUMNS: Readonly<Record<string, string>> = {
  run_id: 'run_uuid',
  run_name: 'name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  start_time: 'start_time',
  end_time: 'end_time',
}

/** The column of `r` behind an attribute (or the run-name tag); undefined for keyed fields. */
export function runColumn(type: EntityType, key: string): string | undefined {
  if (type === 'tag' && key === RUN_NAME_TAG) return 'name'
  return type === 'attribute' ? RUN_COLUMNS[key] : undefined
}

/**
 * The comparison applied to a row of a keyed table aliased `alias`. A NaN metric (stored as 0 with
 * is_nan = 1) is unequal to every number and neither above nor below any, as MLflow compares in
 * Python: it matches `!=` and nothing else.
 */
export function keyedValueCondition(
  alias: string,
  comparison: Comparison,
  options: CompareOptions,
): Condition {
  const value = sql.ref(`${alias}.value`)
  if (comparison.type !== 'metric') {
    return compare(value, comparison.comparator, comparison.value, options)
  }
  const isNan = sql.ref(`${alias}.is_nan`)
  const test = compare(value, comparison.comparator, comparison.value, options)
  return comparison.comparator === '!='
    ? sql`(${isNan} = 1 or ${test})`
    : sql`${isNan} = 0 and ${test}`
}

/** The condition a run row `r` must meet for one comparison. */
export function runCondition(comparison: Comparison, options: CompareOptions): Condition {
  const { type, key, comparator, value } = comparison
  const column = runColumn(type, key)
  if (column !== undefined) return compare(sql.ref(`r.${column}`), comparator, value, options)

  const table = keyedTable(type, key)
  if (table !== undefined) {
    return sql`exists (select 1 from ${sql.table(table)} as k where k.run_uuid = r.run_uuid and k.key = ${key} and ${keyedValueCondition('k', comparison, options)})`
  }
  return datasetCondition(comparison, options)
}

/** A run matches when any dataset it used matches (MLflow's semantics for datasets.*). */
function datasetCondition(comparison: Comparison, options: CompareOptions): Condition {
  const { key, comparator, value } = comparison
  const usedByRun = sql`i.destination_type = ${'RUN'} and i.destination_id = r.run_uuid and i.source_type = ${'DATASET'}`
  if (key === 'context') {
    const test = compare(sql.ref('t.value'), comparator, value, options)
    return sql`exists (select 1 from inputs as i join input_tags as t on t.input_uuid = i.input_uuid where ${usedByRun} and t.key = ${DATASET_CONTEXT_TAG} and ${test})`
  }
  const test = compare(
    sql.ref(`ds.${key === 'digest' ? 'digest' : 'name'}`),
    comparator,
    value,
    options,
  )
  return sql`exists (select 1 from inputs as i join datasets as ds on ds.dataset_uuid = i.source_id where ${usedByRun} and ${test})`
}
