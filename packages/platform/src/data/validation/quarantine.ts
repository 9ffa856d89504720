import type { ExpectationSuite } from '@ballast/contracts'
import type { DatasetSchema } from '../dataset-types.js'
import { type DuckEngine, quoteLiteral } from '../duckdb/duck-engine.js'
import { describeParquet } from './column-types.js'
import { unexpectedCondition } from './expectation-sql.js'
import { parquetSource } from './validate-dataset.js'

/**
 * Writes to `outPath`, as Parquet with the input's columns, every row that breaks at least one
 * row-level expectation of the suite (not null, between, in set, regex, unique), whatever their
 * `mostly`: `mostly` says how many such rows a dataset may hold, not which rows are good.
 * Expectations on a column the data does not have select no row. An empty result still writes a
 * file with the input's columns.
 */
export async function writeQuarantine(
  engine: DuckEngine,
  parquetPath: string,
  suite: ExpectationSuite,
  outPath: string,
  schema?: DatasetSchema,
): Promise<{ rows: number }> {
  const source = parquetSource(parquetPath)
  const columns = schema ?? (await describeParquet(engine, parquetPath))
  const conditions = suite.expectations.flatMap((expectation, index) => {
    if (!('column' in expectation.kwargs)) return []
    const name = expectation.kwargs.column
    const column = columns.columns.find((c) => c.name === name)
    if (column === undefined) return []
    const condition = unexpectedCondition(expectation, column, source, {
      index,
      type: expectation.expectation_type,
    })
    return condition === undefined ? [] : [condition]
  })
  const where = conditions.length === 0 ? 'FALSE' : conditions.join(' OR ')
  const [row] = await engine.all(
    `COPY (SELECT * FROM ${source} WHERE ${where}) TO ${quoteLiteral(outPath)} (FORMAT PARQUET)`,
  )
  return { rows: Number(row?.Count ?? 0) }
}
