import { InvalidParameterError } from '@ballast/contracts'
import { minimizeLbfgs } from './lbfgs.js'
import { fitStandardization, standardizedRows } from './standardize.js'

export interface LogisticParams {
  /** L2 strength λ in the objective below. */
  lambda?: number
  tolerance?: number
  maxIterations?: number
}

/**
 * Binary (numClasses 2: one row of coefficients, the log-odds of class 1) or multinomial softmax
 * (one row per class). Coefficients apply to the original features.
 */
export interface LogisticModel {
  numClasses: number
  coefficients: Float64Array[]
  intercepts: Float64Array
  iterations: number
  converged: boolean
}

/**
 * L2-penalized logistic regression on standardized features z:
 * minimizes (1/n) Σ −log P(yᵢ | zᵢ) + (λ/2) Σ w² (intercepts not penalized) with L-BFGS until
 * the gradient's largest component is below `tolerance`; labels are class indices 0..K−1.
 */
export function trainLogistic(
  data: { features: Float64Array[]; label: Float64Array },
  params: LogisticParams = {},
): LogisticModel {
  const lambda = params.lambda ?? 1e-4
  const tolerance = params.tolerance ?? 1e-8
  const maxIterations = params.maxIterations ?? 1000
  if (!(lambda >= 0))
    throw new InvalidParameterError(`logistic parameter 'lambda' must be >= 0; got ${lambda}`)
  if (!(tolerance > 0))
    throw new InvalidParameterError(`logistic parameter 'tolerance' must be > 0; got ${tolerance}`)
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new InvalidParameterError(
      `logistic parameter 'maxIterations' must be an integer >= 1; got ${maxIterations}`,
    )
  }
  const st = fitStandardization(data.features, data.label)
  const z = standardizedRows(data.features, st)
  const p = data.features.length
  const n = data.label.length
  let maxLabel = 0
  data.label.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0)
      throw new InvalidParameterError(`label[${i}] must be a class index >= 0; got ${y}`)
    maxLabel = Math.max(maxLabel, y)
  })
  const numClasses = Math.max(2, maxLabel + 1)
  const K = numClasses === 2 ? 1 : numClasses
  const stride = p + 1 // per output: p weights then the intercept
  const scores = new Float64Array(K)
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0)
    let loss = 0
    for (let i = 0; i < n; i++) {
      const row = i * p
      for (let k = 0; k < K; k++) {
        let s = theta[k * stride + p]!
        for (let j = 0; j < p; j++) s += theta[k * stride + j]! * z[row + j]!
        scores[k] = s
      }
      const y = data.label[i]!
      if (K === 1) {
        const s = scores[0]!
        // log(1 + e^s) − y·s, computed stably.
        loss += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y * s
        scores[0] = 1 / (1 + Math.exp(-s)) - y
      } else {
        let max = -Infinity
        for (let k = 0; k < K; k++) max = Math.max(max, scores[k]!)
        let sum = 0
        for (let k = 0; k < K; k++) sum += Math.exp(scores[k]! - max)
        loss += max + Math.log(sum) - scores[y]!
        for (let k = 0; k < K; k++) scores[k] = Math.exp(scores[k]! - max) / sum - (k === y ? 1 : 0)
      }
      for (let k = 0; k < K; k++) {
        const r = scores[k]!
        for (let j = 0; j < p; j++) grad[k * stride + j]! += r * z[row + j]!
        grad[k * stride + p]! += r
      }
    }
    loss /= n
    for (let i = 0; i < grad.length; i++) grad[i]! /= n
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < p; j++) {
        const w = theta[k * stride + j]!
        loss += (lambda / 2) * w * w
        grad[k * stride + j]! += lambda * w
      }
    }
    return loss
  }
  const result = minimizeLbfgs(evaluate, new Float64Array(K * stride), { tolerance, maxIterations })
  const coefficients: Float64Array[] = []
  const intercepts = new Float64Array(K)
  for (let k = 0; k < K; k++) {
    const c = new Float64Array(p)
    let b = result.x[k * stride + p]!
    for (let j = 0; j < p; j++) {
      c[j] = result.x[k * stride + j]! / st.scale[j]!
      b -= c[j]! * st.mean[j]!
    }
    coefficients.push(c)
    intercepts[k] = b
  }
  return {
    numClasses,
    coefficients,
    intercepts,
    iterations: result.iterations,
    converged: result.converged,
  }
}

/** P(class 1) (binary, n values) or class probabilities (multinomial, n × K row-major). */
export function predictLogistic(model: LogisticModel, features: Float64Array[]): Float64Array {
  const n = features[0]?.length ?? 0
  const K = model.coefficients.length
  const raw = new Float64Array(n * K)
  for (let k = 0; k < K; k++) {
    const c = model.coefficients[k]!
    for (let i = 0; i < n; i++) {
      let s = model.intercepts[k]!
      for (let f = 0; f < features.length; f++) s += c[f]! * features[f]![i]!
      raw[i * K + k] = s
    }
  }
  if (K === 1) return raw.map((s) => 1 / (1 + Math.exp(-s)))
  for (let i = 0; i < n; i++) {
    let max = -Infinity
    for (let k = 0; k < K; k++) max = Math.max(max, raw[i * K + k]!)
    let sum = 0
    for (let k = 0; k < K; k++) sum += raw[i * K + k] = Math.exp(raw[i * K + k]! - max)
    for (let k = 0; k < K; k++) raw[i * K + k]! /= sum
  }
  return raw
}
