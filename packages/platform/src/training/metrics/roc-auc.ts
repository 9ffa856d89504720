import { InvalidParameterError } from '@ballast/contracts'

/**
 * Binary ROC AUC by the rank-sum (Mann–Whitney) formula, tied scores sharing their mean rank
 * (midranks): AUC = (Σ ranks of positives − P(P+1)/2) / (P·N). Labels: 1 positive, else negative.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = yTrue.length
  if (scores.length !== n)
    throw new InvalidParameterError(`rocAuc: ${n} labels but ${scores.length} scores`)
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => scores[a]! - scores[b]!)
  let positives = 0
  let rankSum = 0
  for (let i = 0; i < n;) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++
    const midrank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]!] === 1) {
        positives++
        rankSum += midrank
      }
    }
    i = j + 1
  }
  const negatives = n - positives
  if (positives === 0 || negatives === 0) {
    throw new InvalidParameterError('rocAuc: labels must contain both classes')
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Multiclass one-vs-rest macro AUC; probs is n × K row-major. Classes absent from yTrue are skipped. */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  numClasses: number,
): number {
  const n = yTrue.length
  if (probs.length !== n * numClasses) {
    throw new InvalidParameterError(
      `rocAucOvr: expected ${n} × ${numClasses} probabilities, got ${probs.length}`,
    )
  }
  const y = new Float64Array(n)
  const s = new Float64Array(n)
  let total = 0
  let used = 0
  for (let c = 0; c < numClasses; c++) {
    let pos = 0
    for (let i = 0; i < n; i++) {
      y[i] = yTrue[i] === c ? 1 : 0
      pos += y[i]!
      s[i] = probs[i * numClasses + c]!
    }
    if (pos === 0 || pos === n) continue
    total += rocAuc(y, s)
    used++
  }
  if (used === 0)
    throw new InvalidParameterError('rocAucOvr: labels must contain at least two classes')
  return total / used
}
