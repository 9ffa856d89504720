import { sql, type Kysely } from 'kysely'
import type { DatabaseSchema } from '../../storage/schema.js'
import { keyedTable, type KeyedTable } from './run-filter-sql.js'
import type { Comparison, OrderClause } from './search-grammar.js'
import { compare, type CompareOptions, type Condition } from './sql-compare.js'

/**
 * How to walk the runs for one search page. The database planners cannot tell how selective a
 * filter value is (the values are bound parameters and no statistics are kept), and the wrong
 * choice costs seconds at 100,000 runs, so the search estimates it from index-only counts:
 *
 * - `scan-runs`: walk the runs of the experiments (by `(experiment_id, start_time)` when the order
 *   allows), test every filter per run, stop at the page end. Best for broad filters.
 * - `drive-by-order`: walk the `(key, value)` index of the first order_by field in order, test the
 *   filters per run, stop at the page end; runs with a NaN or no value follow. Best when the page
 *   is ordered by a metric, param or tag and the filters keep many runs.
 * - `drive-by-filter`: take the few rows matching the most selective metric/param/tag filter from
 *   its `(key, value)` index, test the other filters, sort what remains. Best for narrow filters.
 */
export type RunSearchPlan =
  | { kind: 'scan-runs' }
  | { kind: 'drive-by-order'; table: KeyedTable }
  | { kind: 'drive-by-filter'; filter: number; table: KeyedTable }

// Relative cost per row of each access path, measured on a SQLite file with 100,000 runs (most
// of it is random page reads): a candidate of a filter (run lookup, probes, sort), an entry of the
// order index (row lookup, run lookup, probes), a run walked in index order (probes), a run
// walked then sorted.
const COST_PER_CANDIDATE = 10
const COST_PER_ORDER_ENTRY = 15
const COST_PER_RUN_SCANNED = 8
const COST_PER_RUN_SORTED = 10

/** Filters worth counting: the ones a (key, value) index range answers. */
const ESTIMABLE: Readonly<Record<KeyedTable, readonly string[]>> = {
  latest_metrics: ['=', '<', '<=', '>', '>='],
  params: ['=', 'IN'],
  tags: ['=', 'IN'],
}
const MAX_ESTIMATES = 3

export interface PlanInput {
  experimentIds: readonly number[]
  comparisons: readonly Comparison[]
  order: readonly OrderClause[]
  /** Rows the page needs from the start of the ordering: offset + page size + 1. */
  need: number
}

export async function chooseRunSearchPlan(
  db: Kysely<DatabaseSchema>,
  input: PlanInput,
  options: CompareOptions,
): Promise<RunSearchPlan> {
  const first = input.order[0]
  const orderTable = first === undefined ? undefined : keyedTable(first.type, first.key)
  const fallback: RunSearchPlan =
    orderTable === undefined ? { kind: 'scan-runs' } : { kind: 'drive-by-order', table: orderTable }

  const estimable = input.comparisons
    .map((comparison, index) => ({
      comparison,
      index,
      table: keyedTable(comparison.type, comparison.key),
    }))
    .filter(
      ({ comparison, table }) =>
        table !== undefined && ESTIMABLE[table].includes(comparison.comparator),
    )
    .slice(0, MAX_ESTIMATES)
  if (estimable.length === 0) return fallback

  const runs = await countRuns(db, input.experimentIds)
  let best: { index: number; table: KeyedTable; rows: number } | undefined
  let share = 1
  for (const { comparison, index, table } of estimable) {
    // NaN metrics (stored as 0) are counted too: testing is_nan would leave the index.
    const test = compare(sql.ref('value'), comparison.comparator, comparison.value, options)
    const rows = await countRows(db, table!, comparison.key, test)
    if (best === undefined || rows < best.rows) best = { index, table: table!, rows }
    share *= Math.min(1, rows / Math.max(runs, 1))
  }
  // Walking runs (or the order index, about one entry per run) in order, one in 1/share passes
  // the filters, assuming the filters and the order are independent.
  const walked = Math.min(runs, input.need / Math.max(share, 1 / Math.max(runs, 1)))
  const filterCost = COST_PER_CANDIDATE * best!.rows

  const indexed =
    orderTable !== undefined ||
    (input.experimentIds.length === 1 &&
      (first === undefined || (first.type === 'attribute' && first.key === 'start_time')))
  const walkCost = orderTable !== undefined ? COST_PER_ORDER_ENTRY : COST_PER_RUN_SCANNED
  const otherCost = indexed ? walkCost * walked : COST_PER_RUN_SORTED * runs
  return filterCost < otherCost
    ? { kind: 'drive-by-filter', filter: best!.index, table: best!.table }
    : fallback
}

/** Rows of a keyed table with the key and passing the value test: an index-only count. */
async function countRows(
  db: Kysely<DatabaseSchema>,
  table: KeyedTable,
  key: string,
  valueTest: Condition,
): Promise<number> {
  const { rows } = await sql<{
    n: number | string
  }>`select count(*) as n from ${sql.table(table)} where key = ${key} and ${valueTest}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

async function countRuns(
  db: Kysely<DatabaseSchema>,
  experimentIds: readonly number[],
): Promise<number> {
  const { rows } = await sql<{
    n: number | string
  }>`select count(*) as n from runs where experiment_id in (${sql.join([...experimentIds])})`.execute(
    db,
  )
  return Number(rows[0]?.n ?? 0)
}
