import type { ExpectationConfig } from '@ballast/contracts'
import type { ColumnSchema, DatasetSchema } from '../dataset-types.js'
import { logicalTypeOf } from './column-types.js'
import { columnValue, kwargError, type SuiteRef, unexpectedCondition } from './expectation-sql.js'
import {
  type ExpectationResultDetails,
  mapResult,
  nullResult,
  PARTIAL_UNEXPECTED_LIMIT,
  withinBounds,
} from './validation-result.js'

/** What evaluating one expectation yields, before its config is attached. */
export interface Outcome {
  success: boolean
  result: ExpectationResultDetails
  exception_info?: { raised_exception: true; exception_message: string }
}

/**
 * One expectation turned into SQL: the aggregates it needs from the one shared scan, the row
 * condition for its unexpected values (column map expectations), and how to read the answer.
 */
export interface ExpectationStep {
  /** alias → aggregate SQL, all evaluated together in one SELECT over the data. */
  aggregates: Record<string, string>
  /** alias → a query of its own answering one row with the value as `v`. */
  queries?: Record<string, string>
  /** TRUE for a row whose value is unexpected; the value itself as `value`. */
  unexpected?: { condition: string; value: string }
  finish(stats: Record<string, unknown>, partial: unknown[]): Outcome
}

export const ROW_COUNT_ALIAS = 'n_rows'

const NUMERIC = new Set(['integer', 'float'])

function failed(message: string): ExpectationStep {
  return {
    aggregates: {},
    finish: () => ({
      success: false,
      result: {},
      exception_info: { raised_exception: true, exception_message: message },
    }),
  }
}

function numberOf(value: unknown): number | null {
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : Number(value)
}

function numericBounds(
  kwargs: { min_value?: number | string | null; max_value?: number | string | null },
  ref: SuiteRef,
): void {
  for (const key of ['min_value', 'max_value'] as const) {
    const value = kwargs[key]
    if (typeof value === 'string') {
      throw kwargError(ref, key, `expected a number, got ${JSON.stringify(value)}`)
    }
  }
}

/**
 * GE's median: the middle value, or the mean of the two middle values. Counting each distinct
 * value and walking the running total finds them several times faster than sorting every row
 * (DuckDB's median), and gives the same number.
 */
function medianQuery(col: string, source: string): string {
  return `WITH counted AS (
      SELECT ${col} AS x, count(*) AS n FROM ${source} WHERE ${col} IS NOT NULL GROUP BY ${col}),
    running AS (SELECT x, sum(n) OVER (ORDER BY x) AS below, sum(n) OVER () AS total FROM counted)
    SELECT (min(x) FILTER (WHERE below >= (total + 1) // 2)::DOUBLE
      + min(x) FILTER (WHERE below >= total // 2 + 1)::DOUBLE) / 2 AS v FROM running`
}

/** Plans expectation number `index` of a suite against the dataset's schema and data source. */
export function planExpectation(
  expectation: ExpectationConfig,
  index: number,
  schema: DatasetSchema,
  source: string,
): ExpectationStep {
  const ref: SuiteRef = { index, type: expectation.expectation_type }
  const names = schema.columns.map((c) => c.name)
  const alias = (what: string) => `e${index}_${what}`

  switch (expectation.expectation_type) {
    case 'expect_table_row_count_to_be_between':
      return {
        aggregates: {},
        finish: (stats) => {
          const observed = numberOf(stats[ROW_COUNT_ALIAS])
          return {
            success: withinBounds(observed, expectation.kwargs),
            result: { observed_value: observed },
          }
        },
      }
    case 'expect_table_columns_to_match_set': {
      const wanted = expectation.kwargs.column_set
      const exact = expectation.kwargs.exact_match ?? true
      const missing = wanted.filter((name) => !names.includes(name))
      const unexpected = names.filter((name) => !wanted.includes(name))
      const success = missing.length === 0 && (!exact || unexpected.length === 0)
      const mismatched = {
        ...(exact && unexpected.length > 0 ? { unexpected } : {}),
        ...(missing.length > 0 ? { missing } : {}),
      }
      const details = Object.keys(mismatched).length > 0 ? { details: { mismatched } } : {}
      return {
        aggregates: {},
        finish: () => ({ success, result: { observed_value: names, ...details } }),
      }
    }
    case 'expect_column_to_exist': {
      const { column, column_index: at } = expectation.kwargs
      const success =
        at === undefined || at === null ? names.includes(column) : names[at] === column
      return { aggregates: {}, finish: () => ({ success, result: {} }) }
    }
    default:
      break
  }

  const column: ColumnSchema | undefined = schema.columns.find(
    (c) => c.name === expectation.kwargs.column,
  )
  if (column === undefined) {
    return failed(`column '${expectation.kwargs.column}' is not in the dataset`)
  }
  const col = columnValue(column)

  switch (expectation.expectation_type) {
    case 'expect_column_values_to_be_of_type': {
      const expected = logicalTypeOf(expectation.kwargs.type_)
      if (expected === undefined) {
        throw kwargError(
          ref,
          'type_',
          `unknown type '${expectation.kwargs.type_}' (use integer, float, boolean, string or datetime, or an alias such as int, float64, str, bool, datetime64)`,
        )
      }
      // Parquet columns hold one type: the column's type decides for every value, as GE's SQL
      // backends decide it from the column type.
      return {
        aggregates: {},
        finish: () => ({
          success: column.type === expected,
          result: { observed_value: column.type },
        }),
      }
    }
    case 'expect_column_values_to_not_be_null': {
      const condition = unexpectedCondition(expectation, column, source, ref)!
      return {
        aggregates: { [alias('u')]: `count(*) FILTER (WHERE ${condition})` },
        finish: (stats) =>
          nullResult({
            elementCount: numberOf(stats[ROW_COUNT_ALIAS]) ?? 0,
            nullCount: numberOf(stats[alias('u')]) ?? 0,
            mostly: expectation.kwargs.mostly,
          }),
      }
    }
    case 'expect_column_values_to_be_between':
    case 'expect_column_values_to_be_in_set':
    case 'expect_column_values_to_match_regex':
    case 'expect_column_values_to_be_unique': {
      const condition = unexpectedCondition(expectation, column, source, ref)!
      return {
        aggregates: {
          [alias('nn')]: `count(${col})`,
          [alias('u')]: `count(*) FILTER (WHERE ${condition})`,
        },
        unexpected: {
          condition,
          value: column.type === 'datetime' ? `CAST(${col} AS VARCHAR)` : col,
        },
        finish: (stats, partial) =>
          mapResult({
            elementCount: numberOf(stats[ROW_COUNT_ALIAS]) ?? 0,
            nonNullCount: numberOf(stats[alias('nn')]) ?? 0,
            unexpectedCount: numberOf(stats[alias('u')]) ?? 0,
            mostly: expectation.kwargs.mostly,
            partial: partial.slice(0, PARTIAL_UNEXPECTED_LIMIT),
          }),
      }
    }
    case 'expect_column_mean_to_be_between':
    case 'expect_column_median_to_be_between':
    case 'expect_column_stdev_to_be_between':
    case 'expect_column_proportion_of_unique_values_to_be_between': {
      numericBounds(expectation.kwargs, ref)
      const type = expectation.expectation_type
      if (type !== 'expect_column_proportion_of_unique_values_to_be_between') {
        if (!NUMERIC.has(column.type)) {
          return failed(`column '${column.name}' is ${column.type}, not numeric`)
        }
      }
      // stddev_samp divides by n − 1, as GE (pandas) does.
      const sql = {
        expect_column_mean_to_be_between: `avg(${col})::DOUBLE`,
        expect_column_stdev_to_be_between: `stddev_samp(${col})::DOUBLE`,
        expect_column_proportion_of_unique_values_to_be_between: `count(DISTINCT ${col})::DOUBLE / nullif(count(${col}), 0)`,
      }
      const isMedian = type === 'expect_column_median_to_be_between'
      return {
        aggregates: isMedian ? {} : { [alias('v')]: sql[type] },
        ...(isMedian ? { queries: { [alias('v')]: medianQuery(col, source) } } : {}),
        finish: (stats) => {
          const observed = numberOf(stats[alias('v')])
          return {
            success: withinBounds(observed, expectation.kwargs),
            result: { observed_value: observed },
          }
        },
      }
    }
  }
}
