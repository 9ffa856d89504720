import { open } from 'node:fs/promises'
import { type DatasetFormat, InvalidParameterError } from '@ballast/contracts'
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../duckdb/duck-engine.js'
import { checkColumnNames, readCsvHeader } from './csv-header.js'
import { readError } from './duck-errors.js'

export interface SourceColumn {
  name: string
  /** DuckDB's type of the column as read (`BIGINT`, `VARCHAR`, `JSON`, `STRUCT(…)`, …). */
  duckType: string
}

/** A file as DuckDB reads it: a table expression and the columns it yields. */
export interface SourceRelation {
  sql: string
  columns: SourceColumn[]
}

export interface SourceFile {
  /** Where the bytes are on this machine. */
  file: string
  /** How messages name the file: the user's file name, or `upload`. */
  label: string
  format: DatasetFormat
}

/**
 * Strict CSV: the header is required, quoting is RFC 4180, rows must have exactly the header's
 * columns. Types are inferred from every row (`sample_size=-1`), so a late non-number turns the
 * column into text instead of failing halfway through the conversion.
 */
function csvSql(file: string, delimiter: string, typed: string): string {
  return `read_csv(${quoteLiteral(file)}, header=true, delim=${quoteLiteral(delimiter)}, quote='"', escape='"', strict_mode=true, null_padding=false, ${typed})`
}

/** The first two characters that are not white space. */
async function jsonStart(file: string): Promise<string> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(4096)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
    return text.replace(/\s+/g, '').slice(0, 2)
  } finally {
    await handle.close()
  }
}

async function jsonLayout(source: SourceFile): Promise<'array' | 'newline_delimited'> {
  if (source.format === 'ndjson') return 'newline_delimited'
  const start = await jsonStart(source.file)
  if (start === '[]') throw new InvalidParameterError(`${source.label}: the file has no rows`)
  if (start.startsWith('[')) return 'array'
  if (start.startsWith('{')) return 'newline_delimited'
  throw new InvalidParameterError(
    `${source.label}:1: expected a JSON array of objects or one JSON object per line`,
  )
}

async function describe(engine: DuckEngine, sql: string): Promise<SourceColumn[]> {
  const rows = await engine.all(`DESCRIBE SELECT * FROM ${sql}`)
  return rows.map((r) => ({ name: String(r.column_name), duckType: String(r.column_type) }))
}

/**
 * Opens a file for reading: checks its structure (every row, for CSV) and describes its columns.
 * Every reader error comes back as `file:line: message`.
 */
export async function openSource(engine: DuckEngine, source: SourceFile): Promise<SourceRelation> {
  const { file, label, format } = source
  try {
    if (format === 'csv' || format === 'tsv') {
      const delimiter = format === 'csv' ? ',' : '\t'
      const names = await readCsvHeader(file, delimiter, label)
      // Structure first, every value as text: DuckDB's dialect sniffer answers a broken file with
      // a guess or a vague error, while the strict reader names the line.
      const columns = names.map((n) => `${quoteLiteral(n)}: 'VARCHAR'`).join(', ')
      await engine.all(
        `SELECT count(*) AS n FROM ${csvSql(file, delimiter, `auto_detect=false, columns={${columns}}`)}`,
      )
      const sql = csvSql(file, delimiter, 'auto_detect=true, sample_size=-1')
      const described = await describe(engine, sql)
      // The sniffer may still rename; the file's own names are the dataset's names.
      if (described.length !== names.length) {
        throw new InvalidParameterError(
          `${label}:1: the header has ${names.length} columns but the rows have ${described.length}`,
        )
      }
      const renamed = described.map(
        (c, i) => `${quoteIdentifier(c.name)} AS ${quoteIdentifier(names[i]!)}`,
      )
      return {
        sql: `(SELECT ${renamed.join(', ')} FROM ${sql})`,
        columns: described.map((c, i) => ({ name: names[i]!, duckType: c.duckType })),
      }
    }
    if (format === 'parquet') {
      const sql = `read_parquet(${quoteLiteral(file)})`
      const columns = await describe(engine, sql)
      checkColumnNames(
        columns.map((c) => c.name),
        label,
      )
      return { sql, columns }
    }
    const layout = await jsonLayout(source)
    const sql = `read_json(${quoteLiteral(file)}, format=${quoteLiteral(layout)}, records='true', sample_size=-1)`
    const columns = await describe(engine, sql)
    checkColumnNames(
      columns.map((c) => c.name),
      label,
    )
    return { sql, columns }
  } catch (error) {
    if (error instanceof InvalidParameterError) throw error
    throw readError(error, source)
  }
}
