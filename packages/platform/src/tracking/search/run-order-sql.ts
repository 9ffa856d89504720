import { sql, type Expression, type RawBuilder } from 'kysely'
import type { OrderClause } from './search-grammar.js'
import { keyedTable, runColumn } from './run-filter-sql.js'

export interface OrderTerm {
  expression: Expression<unknown>
  descending: boolean
}

/** Run columns that may be NULL; the others need no rank term. */
const NULLABLE_RUN_COLUMNS = new Set(['end_time'])

/**
 * The sort terms of one order_by clause on run row `r`. As in MLflow's SQL store, a rank term
 * comes first so that runs without the value sort last in both directions, and for metrics NaN
 * sorts after every number but before a missing value.
 */
export function clauseTerms(clause: OrderClause): OrderTerm[] {
  const descending = !clause.ascending
  const column = runColumn(clause.type, clause.key)
  if (column !== undefined) {
    const ref = sql.ref(`r.${column}`)
    const value = { expression: ref, descending }
    if (!NULLABLE_RUN_COLUMNS.has(column)) return [value]
    return [
      { expression: sql`case when ${ref} is null then 1 else 0 end`, descending: false },
      value,
    ]
  }
  const table = keyedTable(clause.type, clause.key)!
  const lookup = (column: 'value' | 'is_nan'): RawBuilder<unknown> =>
    sql`(select k.${sql.raw(column)} from ${sql.table(table)} as k where k.run_uuid = r.run_uuid and k.key = ${clause.key})`
  const rank =
    table === 'latest_metrics'
      ? sql`coalesce(${lookup('is_nan')}, 2)`
      : sql`case when ${lookup('value')} is null then 1 else 0 end`
  return [
    { expression: rank, descending: false },
    { expression: lookup('value'), descending },
  ]
}

/** MLflow's tie-breakers: newest first unless start_time was ordered explicitly, then run id. */
export function tailTerms(clauses: readonly OrderClause[]): OrderTerm[] {
  const byStartTime = clauses.some((c) => c.type === 'attribute' && c.key === 'start_time')
  const terms: OrderTerm[] = byStartTime
    ? []
    : [{ expression: sql.ref('r.start_time'), descending: true }]
  return [...terms, { expression: sql.ref('r.run_uuid'), descending: false }]
}

export function orderByList(terms: readonly OrderTerm[]): RawBuilder<unknown> {
  return sql.join(terms.map((t) => sql`${t.expression} ${sql.raw(t.descending ? 'desc' : 'asc')}`))
}
