import type { ExpectationType } from '@ballast/contracts'

/** What one expectation found, in Great Expectations' result shape. */
export interface ExpectationResultDetails {
  observed_value?: unknown
  element_count?: number
  missing_count?: number
  missing_percent?: number | null
  unexpected_count?: number
  /** Percent of the non-null values (of all values for not_be_null), as GE reports it. */
  unexpected_percent?: number | null
  unexpected_percent_total?: number | null
  unexpected_percent_nonmissing?: number | null
  /** The first unexpected values in file order, at most PARTIAL_UNEXPECTED_LIMIT. */
  partial_unexpected_list?: unknown[]
  details?: Record<string, unknown>
}

export interface ExpectationResult {
  expectation_type: ExpectationType
  kwargs: Record<string, unknown>
  meta?: Record<string, unknown>
  success: boolean
  result: ExpectationResultDetails
  /** Present when the expectation could not be evaluated (a missing column, say): it fails. */
  exception_info?: { raised_exception: true; exception_message: string }
}

export interface ValidationStatistics {
  evaluated_expectations: number
  successful_expectations: number
  unsuccessful_expectations: number
  success_percent: number | null
}

export interface ValidationResult {
  success: boolean
  suite_name?: string
  results: ExpectationResult[]
  statistics: ValidationStatistics
}

export const PARTIAL_UNEXPECTED_LIMIT = 20

/**
 * GE's column map output: percentages are of the non-null values (`unexpected_percent`) and of all
 * rows (`unexpected_percent_total`); `mostly` compares the passing share of the non-null values.
 * No non-null value at all passes vacuously, as in GE.
 */
export function mapResult(counts: {
  elementCount: number
  nonNullCount: number
  unexpectedCount: number
  mostly: number | undefined
  partial: unknown[]
}): { success: boolean; result: ExpectationResultDetails } {
  const { elementCount, nonNullCount, unexpectedCount } = counts
  const missing = elementCount - nonNullCount
  const percentOf = (n: number, total: number) => (total > 0 ? (n / total) * 100 : null)
  const nonMissingPercent = percentOf(unexpectedCount, nonNullCount)
  return {
    success: passesMostly(nonNullCount, unexpectedCount, counts.mostly),
    result: {
      element_count: elementCount,
      unexpected_count: unexpectedCount,
      unexpected_percent: nonMissingPercent,
      partial_unexpected_list: counts.partial,
      missing_count: missing,
      missing_percent: percentOf(missing, elementCount),
      unexpected_percent_total: percentOf(unexpectedCount, elementCount),
      unexpected_percent_nonmissing: nonMissingPercent,
    },
  }
}

/** GE's `not_be_null` output: nulls are what it counts, so there is no missing part. */
export function nullResult(counts: {
  elementCount: number
  nullCount: number
  mostly: number | undefined
}): { success: boolean; result: ExpectationResultDetails } {
  const { elementCount, nullCount } = counts
  return {
    success: passesMostly(elementCount, nullCount, counts.mostly),
    result: {
      element_count: elementCount,
      unexpected_count: nullCount,
      unexpected_percent: elementCount > 0 ? (nullCount / elementCount) * 100 : null,
      partial_unexpected_list: new Array<null>(Math.min(nullCount, PARTIAL_UNEXPECTED_LIMIT)).fill(
        null,
      ),
    },
  }
}

/** (considered − unexpected) / considered ≥ mostly, computed as GE does (mostly defaults to 1). */
export function passesMostly(considered: number, unexpected: number, mostly = 1): boolean {
  if (considered === 0) return true
  return (considered - unexpected) / considered >= mostly
}

/** Whether an observed statistic lies within [min, max] (bounds optional, strict when asked). */
export function withinBounds(
  observed: number | null,
  bounds: {
    min_value?: number | string | null
    max_value?: number | string | null
    strict_min?: boolean
    strict_max?: boolean
  },
): boolean {
  if (observed === null || Number.isNaN(observed)) return false
  const { min_value: min, max_value: max } = bounds
  if (typeof min === 'number' && (bounds.strict_min ? observed <= min : observed < min)) {
    return false
  }
  if (typeof max === 'number' && (bounds.strict_max ? observed >= max : observed > max)) {
    return false
  }
  return true
}

export function summarize(
  results: ExpectationResult[],
  suiteName: string | undefined,
): ValidationResult {
  const successful = results.filter((r) => r.success).length
  return {
    success: successful === results.length,
    ...(suiteName === undefined ? {} : { suite_name: suiteName }),
    results,
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: successful,
      unsuccessful_expectations: results.length - successful,
      success_percent: results.length > 0 ? (successful / results.length) * 100 : null,
    },
  }
}
