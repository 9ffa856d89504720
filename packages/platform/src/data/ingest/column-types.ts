import type { ColumnType } from '../dataset-types.js'
import { type DuckEngine, quoteIdentifier } from '../duckdb/duck-engine.js'
import { InvalidParameterError } from '@ballast/contracts'
import type { SourceColumn } from './source-relation.js'

/** How a source column is stored: its logical type and the expression that converts it. */
export interface StoredColumn {
  name: string
  type: ColumnType
  /** SQL over the source relation, aliased to the column's name. */
  select: string
}

const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
])
// Wider than 64 bits: stored as BIGINT, and a value that does not fit fails the ingest by name.
const WIDE_INTEGER_TYPES = new Set(['UBIGINT', 'HUGEINT', 'UHUGEINT'])
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE'])
const DATETIME_TYPES = new Set([
  'DATE',
  'TIMESTAMP',
  'TIMESTAMP_S',
  'TIMESTAMP_MS',
  'TIMESTAMP_NS',
  'TIMESTAMP WITH TIME ZONE',
])
// Held as text: their values have a canonical text form and no arithmetic a profile needs.
const TEXT_TYPES = new Set(['VARCHAR', 'UUID', 'TIME', 'INTERVAL'])

function cast(name: string, to: string): string {
  return `CAST(${quoteIdentifier(name)} AS ${to}) AS ${quoteIdentifier(name)}`
}

/**
 * What a dataset column can hold is one of five types. Accepted: integers of any width up to 64
 * bits (→ integer, BIGINT), floats and decimals (→ float, DOUBLE; integers mixed with floats in
 * JSON are floats), booleans, dates and timestamps (→ datetime), text and enums (→ string), and
 * nulls anywhere. Refused, naming the column: JSON values whose type differs between records (an
 * object in one record and a number in another), nested values (objects, lists, maps), binary.
 */
export async function storedColumns(
  engine: DuckEngine,
  relation: string,
  columns: readonly SourceColumn[],
  label: string,
): Promise<StoredColumn[]> {
  const out: StoredColumn[] = []
  for (const { name, duckType } of columns) {
    const quoted = quoteIdentifier(name)
    if (duckType === 'BOOLEAN') out.push({ name, type: 'boolean', select: quoted })
    else if (INTEGER_TYPES.has(duckType) || WIDE_INTEGER_TYPES.has(duckType))
      out.push({ name, type: 'integer', select: cast(name, 'BIGINT') })
    else if (FLOAT_TYPES.has(duckType) || duckType.startsWith('DECIMAL'))
      out.push({ name, type: 'float', select: cast(name, 'DOUBLE') })
    else if (DATETIME_TYPES.has(duckType)) out.push({ name, type: 'datetime', select: quoted })
    else if (TEXT_TYPES.has(duckType) || duckType.startsWith('ENUM'))
      out.push({ name, type: 'string', select: cast(name, 'VARCHAR') })
    else if (duckType === 'JSON') throw await mixedTypes(engine, relation, name, label)
    else if (duckType === 'BLOB' || duckType === 'BIT') {
      throw new InvalidParameterError(
        `${label}: column '${name}' holds binary values (${duckType}); a dataset column holds integer, float, boolean, string or datetime values`,
      )
    } else {
      throw new InvalidParameterError(
        `${label}: column '${name}' holds nested values (${duckType}); flatten it into columns of integer, float, boolean, string or datetime values`,
      )
    }
  }
  return out
}

/** Names the first two JSON types of the column and the record where each first appears. */
async function mixedTypes(
  engine: DuckEngine,
  relation: string,
  name: string,
  label: string,
): Promise<InvalidParameterError> {
  const quoted = quoteIdentifier(name)
  const rows = await engine.all(
    `SELECT json_type(${quoted}) AS t, min(rn) AS first FROM (SELECT ${quoted}, row_number() OVER () AS rn FROM ${relation}) WHERE ${quoted} IS NOT NULL GROUP BY 1 ORDER BY 2 LIMIT 2`,
  )
  const [a, b] = rows
  const detail =
    a !== undefined && b !== undefined
      ? `: ${String(a.t)} in record ${String(a.first)}, ${String(b.t)} in record ${String(b.first)}`
      : ''
  return new InvalidParameterError(
    `${label}: column '${name}' mixes value types${detail}; a dataset column holds one of integer, float, boolean, string or datetime`,
  )
}
