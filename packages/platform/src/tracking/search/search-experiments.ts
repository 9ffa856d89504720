import { sql } from 'kysely'
import type { MetadataStore } from '../../storage/metadata-store.js'
import { parseExperimentFilter, parseExperimentOrderBy } from './filter-parser.js'
import { decodePageToken, encodePageToken, resolveMaxResults } from './page-token.js'
import type { Comparison } from './search-grammar.js'
import { and, compare, type CompareOptions, type Condition } from './sql-compare.js'
import { lifecycleStages, type ViewType } from './view-type.js'

export interface SearchExperimentsRequest {
  filter?: string
  viewType?: ViewType
  maxResults?: number
  orderBy?: string[]
  pageToken?: string
}

export interface SearchExperimentsResult {
  experimentIds: number[]
  nextPageToken?: string
}

/** MLflow's order when a search names none. */
const DEFAULT_ORDER_BY = ['creation_time DESC', 'experiment_id ASC']

/**
 * MLflow's experiments/search: the ids of one page of experiments matching the filter, in
 * order_by order. As in MLflow, an order that does not name experiment_id ends with
 * experiment_id DESC so that pages are stable.
 */
export async function searchExperiments(
  store: MetadataStore,
  request: SearchExperimentsRequest,
): Promise<SearchExperimentsResult> {
  const maxResults = resolveMaxResults(request.maxResults)
  const offset = decodePageToken(request.pageToken)
  const comparisons = parseExperimentFilter(request.filter)
  const requested = request.orderBy ?? []
  const order = parseExperimentOrderBy(requested.length > 0 ? requested : DEFAULT_ORDER_BY)
  const stages = lifecycleStages(request.viewType, 'view_type')
  const options: CompareOptions = { supportsIlike: store.capabilities.supportsIlike }

  const conditions: Condition[] = [
    sql`e.lifecycle_stage in (${sql.join(stages)})`,
    ...comparisons.map((c) => experimentCondition(c, options)),
  ]
  const terms = order.map(({ key, ascending }) => ({ key, ascending }))
  if (!terms.some((t) => t.key === 'experiment_id')) {
    terms.push({ key: 'experiment_id', ascending: false })
  }
  const orderBy = sql.join(
    terms.map((t) => sql`${sql.ref(`e.${t.key}`)} ${sql.raw(t.ascending ? 'asc' : 'desc')}`),
  )

  const { rows } = await sql<{
    experiment_id: number | string
  }>`select e.experiment_id from experiments as e where ${and(conditions)} order by ${orderBy} limit ${maxResults + 1} offset ${offset}`.execute(
    store.db,
  )
  const ids = rows.map((row) => Number(row.experiment_id))
  if (ids.length <= maxResults) return { experimentIds: ids }
  return {
    experimentIds: ids.slice(0, maxResults),
    nextPageToken: encodePageToken(offset + maxResults),
  }
}

function experimentCondition(comparison: Comparison, options: CompareOptions): Condition {
  const { type, key, comparator, value } = comparison
  if (type === 'attribute') return compare(sql.ref(`e.${key}`), comparator, value, options)
  const test = compare(sql.ref('k.value'), comparator, value, options)
  return sql`exists (select 1 from experiment_tags as k where k.experiment_id = e.experiment_id and k.key = ${key} and ${test})`
}
