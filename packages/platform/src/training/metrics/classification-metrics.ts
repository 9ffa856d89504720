import { InvalidParameterError } from '@ballast/contracts'

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) {
    throw new InvalidParameterError(`${what}: ${a.length} labels but ${b.length} predictions`)
  }
  if (a.length === 0) throw new InvalidParameterError(`${what}: no rows`)
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength(yTrue, yPred, 'accuracy')
  let hit = 0
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++
  return hit / yTrue.length
}

/** counts[t][p]: rows of true class t predicted as p, for classes 0..numClasses-1. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  sameLength(yTrue, yPred, 'confusionMatrix')
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0))
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!
    const p = yPred[i]!
    if (
      !Number.isInteger(t) ||
      t < 0 ||
      t >= numClasses ||
      !Number.isInteger(p) ||
      p < 0 ||
      p >= numClasses
    ) {
      throw new InvalidParameterError(
        `confusionMatrix: row ${i} has class ${t} → ${p}, outside 0..${numClasses - 1}`,
      )
    }
    m[t]![p]! += 1
  }
  return m
}

export interface PrecisionRecallF1 {
  precision: number
  recall: number
  f1: number
}

/** Of one class against the rest; 0 where a ratio has an empty denominator (sklearn's zero_division=0). */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  positive = 1,
): PrecisionRecallF1 {
  sameLength(yTrue, yPred, 'precisionRecallF1')
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive
    const p = yPred[i] === positive
    if (t && p) tp++
    else if (p) fp++
    else if (t) fn++
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

/** Unweighted mean over classes 0..numClasses-1 of per-class precision, recall and F1. */
export function macroPrecisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): PrecisionRecallF1 {
  const sum = { precision: 0, recall: 0, f1: 0 }
  for (let c = 0; c < numClasses; c++) {
    const m = precisionRecallF1(yTrue, yPred, c)
    sum.precision += m.precision
    sum.recall += m.recall
    sum.f1 += m.f1
  }
  return {
    precision: sum.precision / numClasses,
    recall: sum.recall / numClasses,
    f1: sum.f1 / numClasses,
  }
}

/**
 * Mean negative log-likelihood. Binary: probs[i] = P(class 1). Multiclass: probs is n × K
 * row-major. Probabilities are clipped to [1e-15, 1 − 1e-15].
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  numClasses = 2,
): number {
  const n = yTrue.length
  const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p))
  if (numClasses === 2 && probs.length === n) {
    sameLength(yTrue, probs, 'logLoss')
    let s = 0
    for (let i = 0; i < n; i++)
      s -= yTrue[i] === 1 ? Math.log(clip(probs[i]!)) : Math.log(1 - clip(probs[i]!))
    return s / n
  }
  if (probs.length !== n * numClasses || n === 0) {
    throw new InvalidParameterError(
      `logLoss: expected ${n} × ${numClasses} probabilities, got ${probs.length}`,
    )
  }
  let s = 0
  for (let i = 0; i < n; i++) s -= Math.log(clip(probs[i * numClasses + yTrue[i]!]!))
  return s / n
}

export interface CalibrationBin {
  /** Bin covers [lower, upper); the last bin includes 1. */
  lower: number
  upper: number
  meanPredicted: number
  observedRate: number
  count: number
}

/** Reliability table over 10 equal-width bins of P(class 1); empty bins report NaN means. */
export function calibrationTable(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  sameLength(yTrue, probs, 'calibrationTable')
  const sumP = new Float64Array(bins)
  const sumY = new Float64Array(bins)
  const count = new Float64Array(bins)
  for (let i = 0; i < yTrue.length; i++) {
    const p = probs[i]!
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))
    sumP[b]! += p
    sumY[b]! += yTrue[i] === 1 ? 1 : 0
    count[b]! += 1
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    meanPredicted: count[b]! > 0 ? sumP[b]! / count[b]! : Number.NaN,
    observedRate: count[b]! > 0 ? sumY[b]! / count[b]! : Number.NaN,
    count: count[b]!,
  }))
}
