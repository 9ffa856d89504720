import path from 'node:path'
import type { ColumnType, DatasetSchema } from '../../dataset-types.js'
import { quoteLiteral, type DuckEngine } from '../../duckdb/duck-engine.js'

/** The few physical types the profile tests write, and what they mean. */
const LOGICAL: Readonly<Record<string, ColumnType>> = {
  INTEGER: 'integer',
  BIGINT: 'integer',
  UBIGINT: 'integer',
  DOUBLE: 'float',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  TIMESTAMP: 'datetime',
  DATE: 'datetime',
}

/** Writes the rows of `select` to `dir/name.parquet`; returns the file and its schema. */
export async function writeParquet(
  engine: DuckEngine,
  dir: string,
  name: string,
  select: string,
): Promise<[string, DatasetSchema]> {
  const file = path.join(dir, `${name}.parquet`)
  await engine.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet)`)
  const rows = await engine.all(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`)
  const columns = rows.map((row) => {
    const storageType = String(row.column_type)
    const type = LOGICAL[storageType]
    if (type === undefined) throw new Error(`no logical type for ${storageType} in the fixture`)
    return { name: String(row.column_name), type, nullable: true, storageType }
  })
  return [file, { columns }]
}
