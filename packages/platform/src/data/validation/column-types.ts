import { quoteLiteral, type DuckEngine } from '../duckdb/duck-engine.js'
import type { ColumnType, DatasetSchema } from '../dataset-types.js'

/**
 * Type names that `expect_column_values_to_be_of_type` accepts, lower-cased, and the logical type
 * each one means. Our own names come first; then the names GE users write for pandas (numpy
 * dtypes, Python types) and for SQL backends. Case does not matter: `INTEGER` is `integer`.
 */
export const TYPE_ALIASES: Readonly<Record<string, ColumnType>> = {
  integer: 'integer',
  int: 'integer',
  int8: 'integer',
  int16: 'integer',
  int32: 'integer',
  int64: 'integer',
  uint8: 'integer',
  uint16: 'integer',
  uint32: 'integer',
  uint64: 'integer',
  long: 'integer',
  tinyint: 'integer',
  smallint: 'integer',
  bigint: 'integer',
  hugeint: 'integer',
  float: 'float',
  float16: 'float',
  float32: 'float',
  float64: 'float',
  double: 'float',
  'double precision': 'float',
  real: 'float',
  decimal: 'float',
  numeric: 'float',
  boolean: 'boolean',
  bool: 'boolean',
  bool_: 'boolean',
  string: 'string',
  str: 'string',
  object: 'string',
  text: 'string',
  varchar: 'string',
  char: 'string',
  category: 'string',
  datetime: 'datetime',
  datetime64: 'datetime',
  'datetime64[ns]': 'datetime',
  'datetime64[us]': 'datetime',
  'datetime64[ms]': 'datetime',
  timestamp: 'datetime',
  'timestamp with time zone': 'datetime',
  timestamptz: 'datetime',
  date: 'datetime',
}

/** The logical type a GE type name means, or undefined when the name is not known. */
export function logicalTypeOf(typeName: string): ColumnType | undefined {
  const key = typeName.trim().toLowerCase()
  // numpy writes time zones into the dtype name: datetime64[ns, UTC].
  if (/^datetime64\[\w+,.*\]$/.test(key)) return 'datetime'
  return TYPE_ALIASES[key]
}

/** The logical type of a DuckDB/Parquet physical type; anything unusual reads as string. */
export function logicalTypeOfStorage(storageType: string): ColumnType {
  const t = storageType.toUpperCase()
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$/.test(t)) return 'integer'
  if (t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL')) return 'float'
  if (t === 'BOOLEAN') return 'boolean'
  if (t === 'DATE' || t.startsWith('TIMESTAMP')) return 'datetime'
  return 'string'
}

/** The schema of a Parquet file as DuckDB reads it; nullability is what the file declares. */
export async function describeParquet(
  engine: DuckEngine,
  parquetPath: string,
): Promise<DatasetSchema> {
  const rows = await engine.all(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(parquetPath)})`)
  return {
    columns: rows.map((row) => {
      const storageType = String(row.column_type)
      return {
        name: String(row.column_name),
        type: logicalTypeOfStorage(storageType),
        nullable: row.null !== 'NO',
        storageType,
      }
    }),
  }
}
