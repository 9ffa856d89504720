import type { GbdtObjective } from './gbdt-params.js'

const EPS = 1e-15

/** Softmax over a[start, start + K) in place; returns the index (0..K-1) of the largest. */
export function softmaxInPlace(a: Float64Array, start: number, K: number): number {
  let max = -Infinity
  let arg = 0
  for (let k = 0; k < K; k++) {
    if (a[start + k]! > max) {
      max = a[start + k]!
      arg = k
    }
  }
  let sum = 0
  for (let k = 0; k < K; k++) {
    const e = Math.exp(a[start + k]! - max)
    a[start + k] = e
    sum += e
  }
  for (let k = 0; k < K; k++) a[start + k]! /= sum
  return arg
}

/** Log loss of one binary row at probability p of class 1, clipped away from log(0). */
function binaryLogLoss(p: number, y: number): number {
  return -Math.log(Math.min(1 - EPS, Math.max(EPS, y === 1 ? p : 1 - p)))
}

/**
 * Gradient and hessian of the loss for every row, written in place (row-major n × K scores);
 * returns the mean loss at these scores, computed in the same pass (see meanLoss).
 */
export function computeGradients(
  objective: GbdtObjective,
  label: Float64Array,
  scores: Float64Array,
  numClass: number,
  grad: Float64Array,
  hess: Float64Array,
): number {
  const n = label.length
  let total = 0
  if (objective === 'regression') {
    for (let i = 0; i < n; i++) {
      const d = scores[i]! - label[i]!
      grad[i] = d
      hess[i] = 1
      total += d * d
    }
  } else if (objective === 'binary') {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-scores[i]!))
      const y = label[i]!
      grad[i] = p - y
      hess[i] = Math.max(p * (1 - p), 1e-16)
      total += binaryLogLoss(p, y)
    }
  } else {
    // Class k's gradients sit at [k * n, (k + 1) * n) so each tree reads a contiguous slice.
    const K = numClass
    const probs = new Float64Array(K)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) probs[k] = scores[i * K + k]!
      softmaxInPlace(probs, 0, K)
      const y = label[i]!
      for (let k = 0; k < K; k++) {
        const p = probs[k]!
        grad[k * n + i] = p - (y === k ? 1 : 0)
        hess[k * n + i] = Math.max(p * (1 - p), 1e-16)
        if (y === k) total -= Math.log(Math.max(EPS, p))
      }
    }
  }
  return total / n
}

/** Mean loss: squared error for regression, log loss for classification. */
export function meanLoss(
  objective: GbdtObjective,
  label: Float64Array,
  scores: Float64Array,
  numClass: number,
): number {
  const n = label.length
  let total = 0
  if (objective === 'regression') {
    for (let i = 0; i < n; i++) total += (scores[i]! - label[i]!) ** 2
  } else if (objective === 'binary') {
    for (let i = 0; i < n; i++) {
      total += binaryLogLoss(1 / (1 + Math.exp(-scores[i]!)), label[i]!)
    }
  } else {
    const K = numClass
    const probs = new Float64Array(K)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) probs[k] = scores[i * K + k]!
      softmaxInPlace(probs, 0, K)
      total -= Math.log(Math.max(EPS, probs[label[i]!]!))
    }
  }
  return total / n
}

/** Starting raw score per output: the mean, the log-odds, or the log class priors. */
export function initialScores(
  objective: GbdtObjective,
  label: Float64Array,
  numClass: number,
): number[] {
  const n = label.length
  if (objective === 'regression') return [label.reduce((a, b) => a + b, 0) / n]
  if (objective === 'binary') {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, label.reduce((a, b) => a + b, 0) / n))
    return [Math.log(p / (1 - p))]
  }
  const counts = new Array<number>(numClass).fill(0)
  for (let i = 0; i < n; i++) counts[label[i]!]! += 1
  return counts.map((c) => Math.log(Math.max(c, 1) / n))
}
