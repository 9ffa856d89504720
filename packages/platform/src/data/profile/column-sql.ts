import { DOUBLE, type DuckDBConnection } from '@duckdb/node-api'
import { AppError } from '@ballast/contracts'
import type { ColumnSchema } from '../dataset-types.js'

/** Physical types whose values can be NaN; a NaN counts as missing, as pandas counts it. */
const NAN_STORAGE = new Set(['FLOAT', 'DOUBLE', 'REAL', 'FLOAT4', 'FLOAT8'])

/**
 * How the profile reads one column from the table of its distinct values `v`:
 * which source rows are present, and the numeric view of `v` that summaries are computed on.
 */
export interface ColumnSql {
  /** True for a present value of the quoted column `col`: not NULL, and not NaN. */
  readonly present: (col: string) => string
  /** A DOUBLE expression over `v` (epoch milliseconds for datetimes); absent when not numeric. */
  readonly numeric?: string
}

export function columnSql(column: ColumnSchema): ColumnSql {
  const canBeNaN = NAN_STORAGE.has(column.storageType.toUpperCase())
  const present = (col: string): string =>
    canBeNaN ? `${col} IS NOT NULL AND NOT isnan(${col})` : `${col} IS NOT NULL`
  switch (column.type) {
    case 'integer':
    case 'float':
      return { present, numeric: 'CAST(v AS DOUBLE)' }
    case 'datetime':
      // Microseconds first, so that sub-millisecond parts survive as fractions of a millisecond.
      return { present, numeric: 'CAST(epoch_us(v) AS DOUBLE) / 1000' }
    case 'boolean':
    case 'string':
      return { present }
  }
}

/**
 * Rows of a query as plain objects (DuckDB's JS values; BIGINT and HUGEINT arrive as bigint).
 * `doubles` are bound as DOUBLE: left to itself the driver binds a whole number as BIGINT, which
 * fails for a value like 1e19 and is not the type the arithmetic needs anyway.
 */
export async function readRows(
  connection: DuckDBConnection,
  sql: string,
  doubles: readonly number[] = [],
): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(
    sql,
    [...doubles],
    doubles.map(() => DOUBLE),
  )
  return reader.getRowObjectsJS()
}

/** A count or statistic as a JSON-safe number; NULL and non-finite results become undefined. */
export function finiteOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** A count or statistic that a query must return: its absence is a defect, not a data problem. */
export function requiredNumber(value: unknown, what: string): number {
  const n = finiteOrUndefined(value)
  if (n === undefined) {
    throw new AppError('INTERNAL_ERROR', `profile query returned no ${what}`)
  }
  return n
}
