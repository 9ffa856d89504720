import type { MlflowDouble } from '@ballast/contracts'

/**
 * How metric values are stored, as MLflow stores them: NaN as 0 with is_nan = 1, and ±Infinity as
 * ±Number.MAX_VALUE (SQL has no infinities). Reading back gives NaN, and ±MAX_VALUE for infinities,
 * exactly what an MLflow server answers.
 */
export function toStoredValue(value: number): { value: number; isNan: 0 | 1 } {
  if (Number.isNaN(value)) return { value: 0, isNan: 1 }
  if (value === Number.POSITIVE_INFINITY) return { value: Number.MAX_VALUE, isNan: 0 }
  if (value === Number.NEGATIVE_INFINITY) return { value: -Number.MAX_VALUE, isNan: 0 }
  return { value, isNan: 0 }
}

/** A stored value as MLflow writes it in JSON: NaN becomes the string "NaN". */
export function toWireValue(value: number, isNan: number | boolean): MlflowDouble {
  return isNan === 1 || isNan === true ? 'NaN' : value
}
