import type { ExpectationConfig, ExpectationSuite } from '@ballast/contracts'
import type { ColumnProfile, DatasetProfile, DatasetSchema } from '../dataset-types.js'

export interface InferSuiteOptions {
  name?: string
  /** The row-count band is rows × (1 ± this); 0.5 by default: half to one and a half times. */
  rowCountTolerance?: number
  /** String columns with at most this many distinct values get a value set; 20 by default. */
  maxCategories?: number
}

export const DEFAULT_ROW_COUNT_TOLERANCE = 0.5
export const DEFAULT_MAX_CATEGORIES = 20

/**
 * A suite that the profiled data passes, for a person to edit: the column set, a row-count band,
 * then per column in schema order its type, not-null when nothing was missing, the observed range
 * of numeric columns, and the value set of string columns with few distinct values when the
 * profile's top values account for every value. Value sets are sorted, so that the same data always
 * gives the same file.
 */
export function inferSuite(
  schema: DatasetSchema,
  profile: DatasetProfile,
  options: InferSuiteOptions = {},
): ExpectationSuite {
  const tolerance = options.rowCountTolerance ?? DEFAULT_ROW_COUNT_TOLERANCE
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES
  const rows = profile.rowCount
  const expectations: ExpectationConfig[] = [
    {
      expectation_type: 'expect_table_columns_to_match_set',
      kwargs: { column_set: schema.columns.map((c) => c.name), exact_match: true },
    },
    {
      expectation_type: 'expect_table_row_count_to_be_between',
      kwargs: {
        min_value: Math.max(0, Math.floor(rows * (1 - tolerance))),
        max_value: Math.ceil(rows * (1 + tolerance)),
      },
    },
  ]
  const profiles = new Map(profile.columns.map((c) => [c.name, c]))
  for (const column of schema.columns) {
    const column_name = column.name
    expectations.push({
      expectation_type: 'expect_column_values_to_be_of_type',
      kwargs: { column: column_name, type_: column.type },
    })
    const stats = profiles.get(column_name)
    if (stats === undefined) continue
    if (stats.missing === 0) {
      expectations.push({
        expectation_type: 'expect_column_values_to_not_be_null',
        kwargs: { column: column_name },
      })
    }
    if (
      (column.type === 'integer' || column.type === 'float') &&
      typeof stats.min === 'number' &&
      typeof stats.max === 'number'
    ) {
      expectations.push({
        expectation_type: 'expect_column_values_to_be_between',
        kwargs: { column: column_name, min_value: stats.min, max_value: stats.max },
      })
    }
    const domain = column.type === 'string' ? categories(stats, maxCategories) : undefined
    if (domain !== undefined) {
      expectations.push({
        expectation_type: 'expect_column_values_to_be_in_set',
        kwargs: { column: column_name, value_set: domain },
      })
    }
  }
  return { ...(options.name === undefined ? {} : { name: options.name }), expectations }
}

/** The whole domain of a column, when the profile's top values cover every non-missing value. */
function categories(stats: ColumnProfile, maxCategories: number): string[] | undefined {
  if (stats.count === 0 || stats.distinct > maxCategories) return undefined
  const covered = stats.top.reduce((sum, t) => sum + t.count, 0)
  if (covered !== stats.count) return undefined
  return stats.top.map((t) => t.value).sort()
}
