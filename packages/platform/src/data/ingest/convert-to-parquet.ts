import { InvalidParameterError } from '@ballast/contracts'
import type { ColumnSchema, DatasetSchema } from '../dataset-types.js'
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../duckdb/duck-engine.js'
import { storedColumns } from './column-types.js'
import { readError } from './duck-errors.js'
import { type SourceFile, openSource } from './source-relation.js'
import { checkWherePredicate } from './where-predicate.js'

export interface ConvertedDataset {
  schema: DatasetSchema
  rowCount: number
}

/**
 * Reads a CSV, TSV, JSON, NDJSON or Parquet file, keeps the rows `where` selects, and writes them
 * to `out` as Parquet (zstd) with each column in its dataset type. Returns the inferred schema.
 * Every problem with the file is an InvalidParameterError naming it (and the line where known).
 */
export async function convertToParquet(
  engine: DuckEngine,
  source: SourceFile,
  out: string,
  where?: string,
): Promise<ConvertedDataset> {
  const relation = await openSource(engine, source)
  const stored = await storedColumns(engine, relation.sql, relation.columns, source.label)
  if (where !== undefined) await checkWherePredicate(engine, where, relation.columns)
  const filter = where === undefined ? '' : ` WHERE (${where})`
  try {
    await engine.run(
      `COPY (SELECT ${stored.map((c) => c.select).join(', ')} FROM ${relation.sql}${filter}) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`,
    )
  } catch (error) {
    throw readError(error, source)
  }

  const parquet = `read_parquet(${quoteLiteral(out)})`
  const counts = await engine.all(
    `SELECT count(*) AS row_count, ${stored
      .map((c, i) => `count(${quoteIdentifier(c.name)}) AS c${i}`)
      .join(', ')} FROM ${parquet}`,
  )
  const row = counts[0] ?? {}
  const rowCount = Number(row.row_count)
  if (rowCount === 0) {
    const why =
      where !== undefined
        ? `the filter ${JSON.stringify(where)} selects no rows`
        : source.format === 'csv' || source.format === 'tsv'
          ? 'the file has a header but no data rows'
          : 'the file has no rows'
    throw new InvalidParameterError(`${source.label}: ${why}`)
  }
  const storage = await engine.all(`DESCRIBE SELECT * FROM ${parquet}`)
  const columns: ColumnSchema[] = stored.map((c, i) => ({
    name: c.name,
    type: c.type,
    nullable: Number(row[`c${i}`]) < rowCount,
    storageType: String(storage[i]?.column_type),
  }))
  return { schema: { columns }, rowCount }
}
