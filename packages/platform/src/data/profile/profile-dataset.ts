import type { DuckDBConnection } from '@duckdb/node-api'
import { InvalidParameterError } from '@ballast/contracts'
import type {
  ColumnProfile,
  ColumnSchema,
  DatasetProfile,
  DatasetSchema,
} from '../dataset-types.js'
import { quoteIdentifier, quoteLiteral, type DuckEngine } from '../duckdb/duck-engine.js'
import { columnSql, requiredNumber, readRows } from './column-sql.js'
import { numericSummary } from './numeric-summary.js'

export interface ProfileOptions {
  /** How many most frequent values to keep per column (default 10). */
  readonly topK?: number
  /** Equal-width histogram bins for numeric and datetime columns (default 20). */
  readonly bins?: number
}

const MAX_TOP_K = 1000
const MAX_BINS = 1000

/**
 * The profile of a Parquet file, every statistic exact:
 * - `missing` counts NULLs and, in FLOAT/DOUBLE columns, NaN; `count` is every other value.
 * - `distinct` is an exact count of distinct present values.
 * - numeric summaries (min, max, mean, sample std, quantiles, histogram) are over the finite
 *   values; a float column's ±Infinity values count as present and are reported as `infinite`.
 * - datetimes: min/max as ISO-8601 UTC text; mean, std, quantiles and histogram edges in epoch
 *   milliseconds.
 * - `top`: the most frequent values as text, ties broken by value ascending; true/false counts
 *   for booleans.
 * Every number is a finite JS number; a statistic that does not exist (no values, std of one
 * value) is left out rather than written as null or NaN.
 *
 * Each column is scanned once, into a table of its distinct values and their counts; everything
 * else is computed from that table, which for real columns is orders of magnitude smaller. The
 * distinct count is therefore exact at no extra cost (`approx_count_distinct` was no faster).
 */
export async function profileDataset(
  engine: DuckEngine,
  parquetPath: string,
  schema: DatasetSchema,
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const topK = checkOption(options.topK ?? 10, 'topK', MAX_TOP_K)
  const bins = checkOption(options.bins ?? 20, 'bins', MAX_BINS)
  const source = `read_parquet(${quoteLiteral(parquetPath)})`
  return engine.withConnection(async (connection) => {
    const [row] = await readRows(connection, `SELECT count(*) AS n FROM ${source}`)
    const rowCount = requiredNumber(row?.n, 'row count')
    const columns: ColumnProfile[] = []
    for (const [index, column] of schema.columns.entries()) {
      const table = `ballast_profile_${index}`
      columns.push(await profileColumn(connection, { source, table, column, rowCount, topK, bins }))
    }
    return { rowCount, columns }
  })
}

interface ColumnJob {
  readonly source: string
  readonly table: string
  readonly column: ColumnSchema
  readonly rowCount: number
  readonly topK: number
  readonly bins: number
}

async function profileColumn(connection: DuckDBConnection, job: ColumnJob): Promise<ColumnProfile> {
  const { table, column } = job
  const sql = columnSql(column)
  const col = quoteIdentifier(column.name)
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT ${col} AS v, count(*) AS c FROM ${job.source} WHERE ${sql.present(col)} GROUP BY ${col}`,
  )
  try {
    const [totals] = await readRows(
      connection,
      `SELECT coalesce(sum(c), 0) AS count, count(*) AS distinct FROM ${table}`,
    )
    const count = requiredNumber(totals?.count, 'count')
    const top = await readRows(
      connection,
      `SELECT CAST(v AS VARCHAR) AS value, c AS count FROM ${table}
       ORDER BY c DESC, v ASC LIMIT ${job.topK}`,
    )
    const base = {
      name: column.name,
      type: column.type,
      count,
      missing: job.rowCount - count,
      distinct: requiredNumber(totals?.distinct, 'distinct count'),
    }
    const topValues = top.map((r) => ({
      value: String(r.value),
      count: requiredNumber(r.count, 'count'),
    }))
    if (sql.numeric === undefined) return { ...base, top: topValues }
    const { infinite, histogram, ...summary } = await numericSummary(
      connection,
      table,
      sql.numeric,
      column.type,
      count,
      job.bins,
    )
    return {
      ...base,
      ...(column.type === 'float' ? { infinite } : {}),
      ...summary,
      top: topValues,
      ...(histogram === undefined ? {} : { histogram }),
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`)
  }
}

function checkOption(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidParameterError(
      `invalid profile option ${name} ${String(value)}: expected an integer from 1 to ${max}`,
    )
  }
  return value
}
