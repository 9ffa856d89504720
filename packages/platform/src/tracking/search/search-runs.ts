import { AppError } from '@ballast/contracts'
import { sql } from 'kysely'
import type { MetadataStore } from '../../storage/metadata-store.js'
import { parseOrderBy, parseSearchFilter } from './filter-parser.js'
import { decodePageToken, encodePageToken, resolveMaxResults } from './page-token.js'
import { keyedTable, keyedValueCondition, runCondition, type KeyedTable } from './run-filter-sql.js'
import { clauseTerms, tailTerms } from './run-order-sql.js'
import { selectAcross, type RunQuery } from './run-query.js'
import { chooseRunSearchPlan, type RunSearchPlan } from './run-search-plan.js'
import type { Comparison, OrderClause } from './search-grammar.js'
import type { CompareOptions, Condition } from './sql-compare.js'
import { lifecycleStages, type ViewType } from './view-type.js'

export interface SearchRunsRequest {
  experimentIds: string[]
  filter?: string
  runViewType?: ViewType
  maxResults?: number
  orderBy?: string[]
  pageToken?: string
}

export interface SearchRunsResult {
  runIds: string[]
  nextPageToken?: string
}

/**
 * MLflow's runs/search: the ids of one page of runs of the given experiments that match the
 * filter, in order_by order, then newest first, then by run id. The caller loads the runs.
 */
export async function searchRuns(
  store: MetadataStore,
  request: SearchRunsRequest,
): Promise<SearchRunsResult> {
  return searchRunsWithPlanner(store, request, chooseRunSearchPlan)
}

export type RunSearchPlanner = typeof chooseRunSearchPlan

/** The search with the plan picked by `planner`: tests run every plan against the same data. */
export async function searchRunsWithPlanner(
  store: MetadataStore,
  request: SearchRunsRequest,
  planner: RunSearchPlanner,
): Promise<SearchRunsResult> {
  const maxResults = resolveMaxResults(request.maxResults)
  const offset = decodePageToken(request.pageToken)
  const comparisons = parseSearchFilter(request.filter)
  const order = parseOrderBy(request.orderBy)
  const experimentIds = parseExperimentIds(request.experimentIds)
  const stages = lifecycleStages(request.runViewType, 'run_view_type')
  if (experimentIds.length === 0) return { runIds: [] }

  const options: CompareOptions = { supportsIlike: store.capabilities.supportsIlike }
  const scope = sql<boolean>`r.experiment_id in (${sql.join(experimentIds)}) and r.lifecycle_stage in (${sql.join(stages)})`
  // One row past the page tells whether another page exists.
  const need = maxResults + 1
  const plan = await planner(
    store.db,
    { experimentIds, comparisons, order, need: offset + need },
    options,
  )
  const queries = planQueries(plan, scope, comparisons, order, options)
  const ids = await selectAcross(store.db, queries, need, offset)
  if (ids.length <= maxResults) return { runIds: ids }
  return { runIds: ids.slice(0, maxResults), nextPageToken: encodePageToken(offset + maxResults) }
}

function parseExperimentIds(ids: readonly string[]): number[] {
  const parsed = new Set<number>()
  for (const id of ids) {
    if (!/^\d{1,15}$/.test(id)) {
      throw new AppError(
        'INVALID_PARAMETER_VALUE',
        `Invalid experiment id '${id}' in parameter 'experiment_ids': expected an integer`,
      )
    }
    parsed.add(Number(id))
  }
  return [...parsed]
}

/** The queries whose concatenated results are the full ordering, for the chosen plan. */
function planQueries(
  plan: RunSearchPlan,
  scope: Condition,
  comparisons: readonly Comparison[],
  order: readonly OrderClause[],
  options: CompareOptions,
): RunQuery[] {
  const allTerms = [...order.flatMap(clauseTerms), ...tailTerms(order)]
  const filtersExcept = (skip: (c: Comparison) => boolean) =>
    comparisons.filter((c) => !skip(c)).map((c) => runCondition(c, options))

  if (plan.kind === 'scan-runs') {
    return [{ conditions: [scope, ...filtersExcept(() => false)], terms: allTerms }]
  }
  if (plan.kind === 'drive-by-filter') {
    const driving = comparisons[plan.filter]!
    return [
      {
        driver: { table: plan.table, key: driving.key },
        conditions: [
          scope,
          keyedValueCondition('o', driving, options),
          ...filtersExcept((c) => c === driving),
        ],
        terms: allTerms,
      },
    ]
  }
  return orderSegments(plan.table, scope, comparisons, order, options)
}

/**
 * The drive-by-order plan as up to three queries, in MLflow's order for the first clause: runs
 * with a value (walked along the (key, value) index), then runs whose metric is NaN, then runs
 * without the key. Filters on the ordered key itself apply to the driving row and can rule out the
 * last two groups.
 */
function orderSegments(
  table: KeyedTable,
  scope: Condition,
  comparisons: readonly Comparison[],
  order: readonly OrderClause[],
  options: CompareOptions,
): RunQuery[] {
  const [first, ...others] = order as [OrderClause, ...OrderClause[]]
  const sameKey = (c: Comparison) => keyedTable(c.type, c.key) === table && c.key === first.key
  const onKey = comparisons.filter(sameKey).map((c) => keyedValueCondition('o', c, options))
  const conditions = [
    scope,
    ...onKey,
    ...comparisons.filter((c) => !sameKey(c)).map((c) => runCondition(c, options)),
  ]
  const rest = [...others.flatMap(clauseTerms), ...tailTerms(order)]
  const driver = { table, key: first.key }
  const isMetric = table === 'latest_metrics'

  const queries: RunQuery[] = [
    {
      driver,
      conditions: isMetric ? [...conditions, sql`o.is_nan = 0`] : conditions,
      terms: [{ expression: sql.ref('o.value'), descending: !first.ascending }, ...rest],
    },
  ]
  // A NaN only passes `!=`. NaN is stored as 0, so `o.value = 0` keeps the lookup on the index.
  if (isMetric && comparisons.filter(sameKey).every((c) => c.comparator === '!=')) {
    queries.push({
      driver,
      conditions: [...conditions, sql`o.value = 0`, sql`o.is_nan = 1`],
      terms: rest,
    })
  }
  if (onKey.length === 0) {
    const missing = sql<boolean>`not exists (select 1 from ${sql.table(table)} as k where k.run_uuid = r.run_uuid and k.key = ${first.key})`
    queries.push({ conditions: [...conditions, missing], terms: rest })
  }
  return queries
}
