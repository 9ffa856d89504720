import { sql } from 'kysely'
import type { MetadataStore } from './metadata-store.js'
import type { DatabaseSchema } from './schema.js'

/** Columns of a table that hold text. */
type TextColumn<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string

/**
 * Which of `values` appear in `table.column`: one query per chunk of values the store can bind, so
 * any number of values can be asked about.
 */
export async function presentValues<T extends keyof DatabaseSchema>(
  store: MetadataStore,
  table: T,
  column: TextColumn<DatabaseSchema[T]>,
  values: readonly string[],
): Promise<Set<string>> {
  const present = new Set<string>()
  const chunk = Math.max(1, store.capabilities.maxBindParameters - 10)
  for (let start = 0; start < values.length; start += chunk) {
    const rows = await store.db
      .selectFrom(sql.table(table).as('t'))
      .select(sql<string>`${sql.ref(`t.${column}`)}`.as('value'))
      .where(sql.ref(`t.${column}`), 'in', values.slice(start, start + chunk))
      .distinct()
      .execute()
    for (const row of rows) present.add(row.value)
  }
  return present
}
