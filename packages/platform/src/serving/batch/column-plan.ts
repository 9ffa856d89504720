import { InvalidParameterError, type SignatureField } from '@ballast/contracts'
import { quoteIdentifier } from './sql-text.js'

/** What a model input takes from a column: a number, text, a point in time, or a boolean. */
export type ValueKind = 'number' | 'string' | 'datetime' | 'boolean'

/** The tensor element type onnxruntime is fed for an input. */
export type FeedType = 'float32' | 'float64' | 'int64' | 'int32' | 'string' | 'bool'

/** How one model input is read from the input file and checked. */
export interface ColumnPlan {
  /** The model input, which is also the input file's column. */
  name: string
  kind: ValueKind
  feed: FeedType
  /** SQL for the value, converted in DuckDB: DOUBLE (number, datetime, boolean) or VARCHAR. */
  valueSql: string
  /**
   * SQL for the raw value as text, when the conversion can fail row by row (text parsed as a
   * number or a date): a row whose value is null while its raw text is not is refused.
   */
  rawSql: string | null
  /** Set when the column's type can never give this input a value; names the type. */
  wrongType: string | null
}

const INTEGER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/
const NUMBER_TYPES = /^(FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/
const TEXT_TYPES = /^(VARCHAR|ENUM\(.*\))$/s
const TIME_TYPES = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/

/** The kind of value a signature field asks for; null for fields batch scoring cannot fill. */
export function valueKindOf(field: SignatureField): ValueKind | null {
  switch (field.type) {
    case 'double':
    case 'float':
    case 'long':
    case 'integer':
    case 'boolean':
      return 'number'
    case 'string':
      return 'string'
    case 'datetime':
      return 'datetime'
    case 'tensor': {
      const dtype = field.tensorSpec?.dtype ?? ''
      if (/^(float|int|uint)/.test(dtype)) return 'number'
      if (/^(str|object|bytes)/.test(dtype)) return 'string'
      if (dtype === 'bool') return 'boolean'
      return null
    }
    default:
      return null
  }
}

/**
 * The conversion of one column for one model input. Numbers come from numeric and boolean
 * columns, or from text that parses as a number; strings from text and whole numbers; datetimes
 * from dates, timestamps, ISO-8601 text (UTC unless it says otherwise) or epoch milliseconds.
 */
export function planColumn(
  field: SignatureField,
  kind: ValueKind,
  feed: FeedType,
  duckType: string,
): ColumnPlan {
  const column = quoteIdentifier(field.name)
  const plan = (valueSql: string, rawSql: string | null = null): ColumnPlan => ({
    name: field.name,
    kind,
    feed,
    valueSql,
    rawSql,
    wrongType: null,
  })
  const isText = TEXT_TYPES.test(duckType)
  const isNumber = INTEGER_TYPES.test(duckType) || NUMBER_TYPES.test(duckType)
  if (kind === 'number' || kind === 'boolean') {
    if (isNumber || duckType === 'BOOLEAN') return plan(`CAST(${column} AS DOUBLE)`)
    if (isText) {
      // 'true'/'false' count as 1/0, as a boolean column would.
      return plan(
        `COALESCE(TRY_CAST(${column} AS DOUBLE), CAST(TRY_CAST(${column} AS BOOLEAN) AS DOUBLE))`,
        `CAST(${column} AS VARCHAR)`,
      )
    }
  } else if (kind === 'string') {
    if (isText || INTEGER_TYPES.test(duckType)) return plan(`CAST(${column} AS VARCHAR)`)
  } else {
    if (TIME_TYPES.test(duckType)) return plan(`CAST(epoch_ms(${column}) AS DOUBLE)`)
    if (isNumber) return plan(`CAST(${column} AS DOUBLE)`)
    if (isText) {
      return plan(
        `CAST(epoch_ms(TRY_CAST(${column} AS TIMESTAMPTZ)) AS DOUBLE)`,
        `CAST(${column} AS VARCHAR)`,
      )
    }
  }
  // Every non-null value of such a column is refused, at its row.
  return { ...plan('NULL::DOUBLE', `CAST(${column} AS VARCHAR)`), wrongType: duckType }
}

/** The signature's inputs matched to the file's columns; a missing column is refused by name. */
export function planColumns(
  fields: readonly SignatureField[],
  feeds: ReadonlyMap<string, FeedType>,
  columns: readonly { name: string; duckType: string }[],
  label: string,
): ColumnPlan[] {
  return fields.map((field) => {
    const kind = valueKindOf(field)
    if (kind === null) {
      throw new InvalidParameterError(
        `model input '${field.name}' is of type ${field.type}${field.tensorSpec ? ` (${field.tensorSpec.dtype})` : ''}, which batch scoring cannot read from a column`,
      )
    }
    const shape = field.tensorSpec?.shape
    if (shape !== undefined && (shape.length > 2 || (shape.length === 2 && shape[1] !== 1))) {
      throw new InvalidParameterError(
        `model input '${field.name}' has shape [${shape.join(', ')}]; batch scoring feeds one column per input ([-1] or [-1, 1])`,
      )
    }
    const feed = feeds.get(field.name)
    if (feed === undefined) {
      throw new InvalidParameterError(
        `the model's signature names input '${field.name}', which its ONNX graph does not take`,
      )
    }
    if ((kind === 'string') !== (feed === 'string')) {
      throw new InvalidParameterError(
        `model input '${field.name}' is ${field.type} in the signature but ${feed} in the ONNX graph`,
      )
    }
    const column = columns.find((c) => c.name === field.name)
    if (column === undefined) {
      throw new InvalidParameterError(
        `${label} has no column '${field.name}', which the model needs; it has ${columns.map((c) => c.name).join(', ')}`,
      )
    }
    return planColumn(field, kind, feed, column.duckType)
  })
}
