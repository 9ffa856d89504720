import { InvalidParameterError } from '@ballast/contracts'
import type { DriftColumn, DriftColumnType } from '../stattest.js'

/**
 * The numeric sample a numerical-only test works on; rejects categorical input and empty samples
 * (scipy raises on them too) with the test and the side named.
 */
export function numericSamples(
  testId: string,
  reference: DriftColumn,
  current: DriftColumn,
  columnType: DriftColumnType,
): { reference: Float64Array; current: Float64Array } {
  if (
    columnType !== 'num' ||
    !(reference instanceof Float64Array) ||
    !(current instanceof Float64Array)
  ) {
    throw new InvalidParameterError(
      `Stat test '${testId}' accepts numerical columns only; got a '${columnType}' column`,
    )
  }
  if (reference.length === 0) {
    throw new InvalidParameterError(`Stat test '${testId}': the reference column has no values`)
  }
  if (current.length === 0) {
    throw new InvalidParameterError(`Stat test '${testId}': the current column has no values`)
  }
  return { reference, current }
}
