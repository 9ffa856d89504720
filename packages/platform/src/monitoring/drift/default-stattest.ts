import { InvalidParameterError } from '@ballast/contracts'
import { atMostDistinct } from './category-counts.js'
import type { DriftColumn, DriftColumnType, StatTest } from './stattest.js'
import { STAT_TESTS } from './stattests/index.js'

/** Up to this many reference rows the default tests are the classical p-value tests. */
export const SMALL_REFERENCE_ROWS = 1000
/** Numerical columns with at most this many distinct values are tested as categories. */
export const FEW_NUMERIC_VALUES = 5

/**
 * Evidently's default test for a column: with at most 1000 reference rows, chisquare (more
 * than two values) or z (binary) for categories and for numbers with ≤ 5 values, else ks;
 * above 1000 rows, jensenshannon for categories and numbers with ≤ 5 values, else wasserstein.
 * Values are counted over both samples together.
 */
export function defaultStatTestId(
  reference: DriftColumn,
  current: DriftColumn,
  columnType: DriftColumnType,
): string {
  const fewValues = columnType === 'cat' || atMostDistinct([reference, current], FEW_NUMERIC_VALUES)
  if (reference.length <= SMALL_REFERENCE_ROWS) {
    if (!fewValues) return 'ks'
    return atMostDistinct([reference, current], 2) ? 'z' : 'chisquare'
  }
  return fewValues ? 'jensenshannon' : 'wasserstein'
}

export function defaultStatTest(
  reference: DriftColumn,
  current: DriftColumn,
  columnType: DriftColumnType,
): StatTest {
  const id = defaultStatTestId(reference, current, columnType)
  const test = STAT_TESTS[id]
  if (test === undefined) throw new InvalidParameterError(`stattest ${id} is not available`)
  return test
}
