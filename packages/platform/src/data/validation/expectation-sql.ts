import { type ExpectationConfig, InvalidParameterError } from '@ballast/contracts'
import type { ColumnSchema } from '../dataset-types.js'
import { quoteIdentifier, quoteLiteral } from '../duckdb/duck-engine.js'

/** Where in the suite a value came from, for error messages. */
export interface SuiteRef {
  index: number
  type: string
}

export function kwargError(ref: SuiteRef, kwarg: string, message: string): InvalidParameterError {
  return new InvalidParameterError(
    `expectations[${ref.index}] (${ref.type}): kwargs.${kwarg}: ${message}`,
  )
}

// ISO-8601 dates and timestamps as DuckDB casts them.
const ISO_DATETIME =
  /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/

/**
 * A suite value as a SQL literal of the column's type. Numbers go to numeric columns, ISO text to
 * datetime columns, booleans to boolean columns; string columns take any value as its text (GE
 * compares 1 and '1' as different, and a value set of numbers on a text column matches nothing
 * but the digits).
 */
export function valueLiteral(
  value: string | number | boolean,
  column: ColumnSchema,
  ref: SuiteRef,
  kwarg: string,
): string {
  const wrong = (expected: string) =>
    kwargError(
      ref,
      kwarg,
      `expected ${expected} for ${column.type} column '${column.name}', got ${JSON.stringify(value)}`,
    )
  switch (column.type) {
    case 'integer':
    case 'float':
      if (typeof value !== 'number') throw wrong('a number')
      return String(value)
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('true or false')
      return value ? 'TRUE' : 'FALSE'
    case 'datetime':
      if (typeof value !== 'string' || !ISO_DATETIME.test(value))
        throw wrong('an ISO-8601 date or time')
      return `CAST(${quoteLiteral(value)} AS ${column.storageType})`
    case 'string':
      return quoteLiteral(String(value))
  }
}

/**
 * A column's values as validation sees them: NaN in a float column is missing, as pandas (and so
 * GE) and our profiles count it, not a number that fails every range.
 */
export function columnValue(column: ColumnSchema): string {
  const col = quoteIdentifier(column.name)
  return column.type === 'float' ? `NULLIF(${col}, 'NaN'::DOUBLE)` : col
}

/**
 * The SQL condition that is TRUE for a row whose value breaks a row-level expectation and FALSE
 * otherwise (never NULL). Nulls never break an expectation except not_be_null. `source` is the
 * FROM item of the data, used by the uniqueness check. Undefined for non-row-level expectations.
 */
export function unexpectedCondition(
  expectation: ExpectationConfig,
  column: ColumnSchema,
  source: string,
  ref: SuiteRef,
): string | undefined {
  const col = columnValue(column)
  const nonNull = (condition: string) => `(${col} IS NOT NULL AND NOT (${condition}))`
  switch (expectation.expectation_type) {
    case 'expect_column_values_to_not_be_null':
      return `(${col} IS NULL)`
    case 'expect_column_values_to_be_between': {
      const k = expectation.kwargs
      const parts: string[] = []
      if (k.min_value !== undefined && k.min_value !== null) {
        parts.push(
          `${col} ${k.strict_min ? '>' : '>='} ${valueLiteral(k.min_value, column, ref, 'min_value')}`,
        )
      }
      if (k.max_value !== undefined && k.max_value !== null) {
        parts.push(
          `${col} ${k.strict_max ? '<' : '<='} ${valueLiteral(k.max_value, column, ref, 'max_value')}`,
        )
      }
      return nonNull(parts.join(' AND '))
    }
    case 'expect_column_values_to_be_in_set': {
      const values = expectation.kwargs.value_set.map((v) =>
        valueLiteral(v, column, ref, 'value_set'),
      )
      return nonNull(values.length === 0 ? 'FALSE' : `${col} IN (${values.join(', ')})`)
    }
    case 'expect_column_values_to_match_regex':
      // GE uses Python's re.search: a match anywhere in the value, as regexp_matches does.
      return nonNull(
        `regexp_matches(CAST(${col} AS VARCHAR), ${quoteLiteral(expectation.kwargs.regex)})`,
      )
    case 'expect_column_values_to_be_unique':
      // GE counts every row whose value occurs more than once, the first occurrence included.
      return `(${col} IS NOT NULL AND ${col} IN (SELECT ${col} FROM ${source} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1))`
    default:
      return undefined
  }
}

/** A value read back from DuckDB as JSON can hold it (big integers as text). */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString()
  }
  if (value instanceof Date) return value.toISOString()
  if (value === null || typeof value !== 'object') return value
  // Lists, structs and decimals of unusual columns: their JSON text, big integers as digits.
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
