import { InvalidParameterError } from '@ballast/contracts'
import { choleskySolve } from './cholesky.js'
import { fitStandardization, standardizedRows } from './standardize.js'

export interface LinearModel {
  /** Coefficients on the original (unstandardized) features. */
  coefficients: Float64Array
  intercept: number
}

/**
 * Ridge regression: minimizes Σ (y − b − zᵀw)² + λ‖w‖² over standardized features z (the
 * intercept is not penalized), solved in closed form: (ZᵀZ + λI) w = Zᵀ(y − ȳ), b = ȳ; the result
 * is mapped back to the original feature scale.
 */
export function trainRidge(
  data: { features: Float64Array[]; label: Float64Array },
  params: { lambda?: number } = {},
): LinearModel {
  const lambda = params.lambda ?? 1
  if (!(lambda >= 0))
    throw new InvalidParameterError(`ridge parameter 'lambda' must be >= 0; got ${lambda}`)
  const st = fitStandardization(data.features, data.label)
  const z = standardizedRows(data.features, st)
  const p = data.features.length
  const n = data.label.length
  let yMean = 0
  for (let i = 0; i < n; i++) yMean += data.label[i]!
  yMean /= n
  const a = new Float64Array(p * p)
  const b = new Float64Array(p)
  for (let i = 0; i < n; i++) {
    const row = i * p
    const y = data.label[i]! - yMean
    for (let j = 0; j < p; j++) {
      const zj = z[row + j]!
      b[j]! += zj * y
      for (let k = 0; k <= j; k++) a[j * p + k]! += zj * z[row + k]!
    }
  }
  for (let j = 0; j < p; j++) {
    a[j * p + j]! += lambda
    for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k]!
  }
  const w = choleskySolve(a, b, p)
  const coefficients = new Float64Array(p)
  let intercept = yMean
  for (let j = 0; j < p; j++) {
    coefficients[j] = w[j]! / st.scale[j]!
    intercept -= coefficients[j]! * st.mean[j]!
  }
  return { coefficients, intercept }
}

/** Predictions of a linear model on column-major features. */
export function predictLinear(model: LinearModel, features: Float64Array[]): Float64Array {
  const n = features[0]?.length ?? 0
  const out = new Float64Array(n).fill(model.intercept)
  features.forEach((col, f) => {
    const c = model.coefficients[f]!
    for (let i = 0; i < n; i++) out[i]! += c * col[i]!
  })
  return out
}
