import path from 'node:path'
import {
  type ColumnType,
  type DatasetColumn,
  type DuckEngine,
  convertToParquet,
  detectFormat,
} from '../../data/index.js'
import type { DriftTable, DriftTableColumn } from './drift-table.js'

/**
 * Which columns drift is computed on by default: numbers and categories. Datetimes are left out
 * (as Evidently leaves datetime columns out) unless named explicitly.
 */
function included(type: ColumnType, name: string, wanted: ReadonlySet<string> | undefined) {
  return wanted === undefined ? type !== 'datetime' : wanted.has(name)
}

/**
 * Reads a CSV, TSV, JSON, NDJSON or Parquet file with DuckDB, each column typed as Ballast
 * infers it on ingestion: integers and floats as numbers, the rest as strings.
 */
export async function readDriftTableFromFile(
  engine: DuckEngine,
  file: string,
  label: string,
  workDir: string,
  columns?: readonly string[],
): Promise<DriftTable> {
  const parquet = path.join(workDir, `${path.basename(label).replace(/\W/g, '_')}.parquet`)
  const { schema } = await convertToParquet(
    engine,
    { file, label, format: detectFormat(label) },
    parquet,
  )
  const wanted = columns === undefined ? undefined : new Set(columns)
  const selected = schema.columns.filter((c) => included(c.type, c.name, wanted))
  if (selected.length === 0) return []
  const select = selected
    .map((c) => `CAST(${quote(c.name)} AS ${numeric(c.type) ? 'DOUBLE' : 'VARCHAR'})`)
    .join(', ')
  const raw = await engine.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT ${select} FROM read_parquet('${parquet.replaceAll("'", "''")}')`,
    )
    return reader.getColumnsJS()
  })
  return selected.map((c, i): DriftTableColumn => {
    const values = raw[i] ?? []
    if (!numeric(c.type)) return { name: c.name, type: 'cat', values: values as (string | null)[] }
    return {
      name: c.name,
      type: 'num',
      values: Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))),
    }
  })
}

/** A dataset version's columns (`DataService.readColumns`) as a drift table. */
export function driftTableFromDatasetColumns(
  columns: readonly DatasetColumn[],
  requested?: readonly string[],
): DriftTable {
  const wanted = requested === undefined ? undefined : new Set(requested)
  return columns
    .filter((c) => included(c.type, c.name, wanted))
    .map((c): DriftTableColumn => {
      if (numeric(c.type)) return { name: c.name, type: 'num', values: c.values }
      if (c.type === 'boolean' && c.values instanceof Float64Array)
        // Booleans arrive as 0/1; as categories they read as they do from a file.
        return {
          name: c.name,
          type: 'cat',
          values: Array.from(c.values, (v) => (Number.isNaN(v) ? null : v ? 'true' : 'false')),
        }
      if (c.values instanceof Float64Array)
        return {
          name: c.name,
          type: 'cat',
          values: Array.from(c.values, (v) =>
            Number.isNaN(v) ? null : c.type === 'datetime' ? new Date(v).toISOString() : String(v),
          ),
        }
      return { name: c.name, type: 'cat', values: c.values }
    })
}

function numeric(type: ColumnType): boolean {
  return type === 'integer' || type === 'float'
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
