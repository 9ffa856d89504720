import { InvalidParameterError } from '@ballast/contracts'

/**
 * Confidence-based performance estimation (NannyML's CBPE): when the scores are calibrated, a row
 * scored p is positive with probability p, so the confusion matrix — and every metric built on
 * it — has an expected value computable without labels.
 */

export interface BinaryEstimate {
  accuracy: number
  roc_auc: number
  f1: number
}

function checkProbabilities(p: ArrayLike<number>, field: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number
    // Written so that NaN fails too.
    if (!(v >= 0 && v <= 1)) {
      throw new InvalidParameterError(`${field}[${i}] must be a probability in [0, 1], got ${v}`)
    }
  }
}

/**
 * Expected ROC AUC of scores `p` (n values, read every `stride`-th from `offset`) whose row i is
 * positive with probability p[i]: the ROC curve of expected TPR and FPR, one point per distinct
 * score from the highest down, integrated by trapezoids. NaN when no positive or no negative
 * mass is expected.
 */
function expectedRocAuc(p: ArrayLike<number>, n: number, stride = 1, offset = 0): number {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const at = (i: number) => p[i * stride + offset] as number
  order.sort((a, b) => at(b) - at(a))
  let area = 0
  let tp = 0
  let fp = 0
  for (let r = 0; r < n;) {
    const s = at(order[r] as number)
    let dtp = 0
    let dfp = 0
    // Tied scores move the curve in one step, a diagonal segment.
    while (r < n && at(order[r] as number) === s) {
      dtp += s
      dfp += 1 - s
      r++
    }
    area += dfp * (tp + tp + dtp)
    tp += dtp
    fp += dfp
  }
  if (tp === 0 || fp === 0) return Number.NaN
  return area / (2 * tp * fp)
}

/**
 * Expected accuracy, ROC AUC and F1 of a binary classifier from calibrated probabilities `p` of
 * the positive class; a row is predicted positive when p >= threshold. A metric that is
 * undefined for the input (no rows, no expected positives, ...) is NaN.
 */
export function estimateBinaryPerformance(p: Float64Array, threshold = 0.5): BinaryEstimate {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new InvalidParameterError(`threshold must be in [0, 1], got ${threshold}`)
  }
  checkProbabilities(p, 'p')
  const n = p.length
  if (n === 0) return { accuracy: Number.NaN, roc_auc: Number.NaN, f1: Number.NaN }
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (let i = 0; i < n; i++) {
    const v = p[i] as number
    if (v >= threshold) {
      tp += v
      fp += 1 - v
    } else {
      fn += v
      tn += 1 - v
    }
  }
  const f1Denominator = 2 * tp + fp + fn
  return {
    accuracy: (tp + tn) / n,
    roc_auc: expectedRocAuc(p, n),
    f1: f1Denominator === 0 ? Number.NaN : (2 * tp) / f1Denominator,
  }
}

function checkMatrix(probs: Float64Array, K: number): number {
  if (!Number.isInteger(K) || K < 2) {
    throw new InvalidParameterError(`K must be an integer >= 2, got ${K}`)
  }
  if (probs.length % K !== 0) {
    throw new InvalidParameterError(
      `probs must hold n × ${K} probabilities, got ${probs.length} values`,
    )
  }
  checkProbabilities(probs, 'probs')
  return probs.length / K
}

/**
 * Expected accuracy of a multiclass classifier that predicts each row's most probable class:
 * the mean of the rows' largest probabilities. `probs` is n × K, row-major, calibrated.
 */
export function estimateMulticlassAccuracy(probs: Float64Array, K: number): number {
  const n = checkMatrix(probs, K)
  if (n === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < n; i++) {
    let best = probs[i * K] as number
    for (let k = 1; k < K; k++) best = Math.max(best, probs[i * K + k] as number)
    sum += best
  }
  return sum / n
}

/**
 * Macro average over classes of the expected one-vs-rest ROC AUC (as for a binary classifier,
 * with column k as the probability of class k). Classes whose AUC is undefined (no expected
 * positives or negatives) are left out, as realized one-vs-rest AUC leaves out absent classes;
 * NaN when none is left.
 */
export function estimateMulticlassRocAuc(probs: Float64Array, K: number): number {
  const n = checkMatrix(probs, K)
  let total = 0
  let used = 0
  for (let k = 0; k < K; k++) {
    const auc = expectedRocAuc(probs, n, K, k)
    if (Number.isNaN(auc)) continue
    total += auc
    used++
  }
  return used === 0 ? Number.NaN : total / used
}
