import { InvalidParameterError } from '@ballast/contracts'
import type { DuckDBConnection } from '@duckdb/node-api'
import { detectFormat } from '../../data/index.js'
import { quoteLiteral } from './sql-text.js'

/** A file to score, as the user named it. */
export interface BatchFile {
  /** Where the bytes are on this machine. */
  path: string
  /** How messages name the input: the user's file name, or `dataset@3`. */
  label?: string
  /** csv, tsv, json, ndjson or parquet; default: from the file name. */
  format?: string
}

/** The file as a DuckDB table expression, with its columns and (when cheap to know) its rows. */
export interface BatchRelation {
  sql: string
  columns: { name: string; duckType: string }[]
  /** Known for Parquet (from its metadata); null for text formats, which would need a full read. */
  rowCount: number | null
}

/**
 * CSV types are inferred from every row (`sample_size=-1`), so a late non-number turns the
 * column into text that is then refused at its row, instead of DuckDB failing mid-stream.
 */
function relationSql(path: string, format: string): string {
  const file = quoteLiteral(path)
  switch (format) {
    case 'csv':
      return `read_csv(${file}, header=true, delim=',', sample_size=-1)`
    case 'tsv':
      return `read_csv(${file}, header=true, delim='\t', sample_size=-1)`
    case 'json':
    case 'ndjson':
      return `read_json(${file}, records='true', sample_size=-1)`
    default:
      return `read_parquet(${file})`
  }
}

export async function openBatchInput(
  connection: DuckDBConnection,
  input: BatchFile,
): Promise<BatchRelation> {
  const label = input.label ?? input.path
  const format = detectFormat(input.path, input.format)
  const sql = relationSql(input.path, format)
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${sql}`)
    const columns = described.getRowObjectsJS().map((r) => ({
      name: r.column_name as string,
      duckType: r.column_type as string,
    }))
    let rowCount: number | null = null
    if (format === 'parquet') {
      const counted = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${sql}`)
      rowCount = Number(counted.getRowsJS()[0]?.[0] ?? 0)
    }
    return { sql, columns, rowCount }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new InvalidParameterError(`cannot read ${label} as ${format}: ${message}`)
  }
}
