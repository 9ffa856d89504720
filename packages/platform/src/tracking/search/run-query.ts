import { sql, type Kysely } from 'kysely'
import type { DatabaseSchema } from '../../storage/schema.js'
import type { KeyedTable } from './run-filter-sql.js'
import { orderByList, type OrderTerm } from './run-order-sql.js'
import { and, type Condition } from './sql-compare.js'

/**
 * One SELECT of run ids: runs `r`, optionally driven by rows `o` of a keyed table. With a driver,
 * `from o cross join r` makes SQLite walk `o` first (its planner keeps a CROSS JOIN's order);
 * PostgreSQL plans the same query freely.
 */
export interface RunQuery {
  driver?: { table: KeyedTable; key: string }
  conditions: readonly Condition[]
  terms: readonly OrderTerm[]
}

function fromAndWhere(query: RunQuery) {
  const { driver } = query
  if (driver === undefined) return sql`from runs as r where ${and(query.conditions)}`
  const join: Condition[] = [
    sql`r.run_uuid = o.run_uuid`,
    sql`o.key = ${driver.key}`,
    ...query.conditions,
  ]
  return sql`from ${sql.table(driver.table)} as o cross join runs as r where ${and(join)}`
}

async function selectRunIds(
  db: Kysely<DatabaseSchema>,
  query: RunQuery,
  limit: number,
  offset: number,
): Promise<string[]> {
  const { rows } = await sql<{
    run_uuid: string
  }>`select r.run_uuid ${fromAndWhere(query)} order by ${orderByList(query.terms)} limit ${limit} offset ${offset}`.execute(
    db,
  )
  return rows.map((row) => row.run_uuid)
}

async function countRunIds(db: Kysely<DatabaseSchema>, query: RunQuery): Promise<number> {
  const { rows } = await sql<{
    n: number | string
  }>`select count(*) as n ${fromAndWhere(query)}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

/**
 * One page over queries whose results follow each other in the final order. A later query is only
 * run when the earlier ones end before the page does; a query the offset skips entirely is counted
 * to find where the next one starts.
 */
export async function selectAcross(
  db: Kysely<DatabaseSchema>,
  queries: readonly RunQuery[],
  limit: number,
  offset: number,
): Promise<string[]> {
  const ids: string[] = []
  let skip = offset
  for (const query of queries) {
    const wanted = limit - ids.length
    if (wanted <= 0) break
    const page = await selectRunIds(db, query, wanted, skip)
    ids.push(...page)
    // Rows found means the offset ended inside this query; none means it skipped all of them.
    if (page.length > 0) skip = 0
    else if (skip > 0) skip -= await countRunIds(db, query)
  }
  return ids
}
