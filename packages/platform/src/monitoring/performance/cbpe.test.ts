import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../drift/math/seeded-random.js'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import { precisionRecallF1, rocAuc, rocAucOvr } from '../../training/metrics/index.js'
import {
  estimateBinaryPerformance,
  estimateMulticlassAccuracy,
  estimateMulticlassRocAuc,
} from './cbpe.js'

const est = (p: number[], threshold?: number) =>
  estimateBinaryPerformance(Float64Array.from(p), threshold)

/**
 * Oracle: CBPE's definitions written again in numpy — expected confusion matrix by masks, and the
 * expected ROC curve from np.unique (masses per distinct score, highest first, cumulated),
 * integrated by np.trapezoid.
 */
const CBPE = `
def auc(p):
    _, group = np.unique(p, return_inverse=True)
    tp = np.concatenate([[0.0], np.cumsum(np.bincount(group, weights=p)[::-1])])
    fp = np.concatenate([[0.0], np.cumsum(np.bincount(group, weights=1 - p)[::-1])])
    if tp[-1] == 0 or fp[-1] == 0:
        return None
    return float(np.trapezoid(tp / tp[-1], fp / fp[-1]))

out = []
for case in data:
    p = np.asarray(case['p'], float)
    if case['K'] == 1:
        pos = p >= case['threshold']
        tp, fp = p[pos].sum(), (1 - p[pos]).sum()
        fn, tn = p[~pos].sum(), (1 - p[~pos]).sum()
        out.append({'accuracy': (tp + tn) / len(p), 'f1': 2 * tp / (2 * tp + fp + fn), 'roc_auc': auc(p)})
    else:
        m = p.reshape(-1, case['K'])
        aucs = [a for a in (auc(m[:, k]) for k in range(case['K'])) if a is not None]
        out.append({'accuracy': float(m.max(axis=1).mean()), 'roc_auc': float(np.mean(aucs))})
print(json.dumps(out))
`

describe('estimateBinaryPerformance', () => {
  it('computes the expected confusion matrix and ROC curve of two rows by hand', () => {
    // Row 0 (0.8): TP 0.8, FP 0.2; row 1 (0.4): FN 0.4, TN 0.6.
    const e = est([0.8, 0.4])
    expect(e.accuracy).toBeCloseTo(0.7, 15)
    expect(e.f1).toBeCloseTo(1.6 / 2.2, 15)
    // Curve (0, 0) → (0.2/0.8, 0.8/1.2) → (1, 1): area 0.68 / (1.2 · 0.8) = 17/24.
    expect(e.roc_auc).toBeCloseTo(17 / 24, 15)
  })

  it('moves tied scores in one diagonal step and applies the threshold inclusively', () => {
    expect(est([0.5, 0.5])).toEqual({ accuracy: 0.5, roc_auc: 0.5, f1: 2 / 3 })
    // Predicted positive at threshold 0.2: TP 0.3, FP 0.7. One row carries both masses; its
    // single diagonal step gives an AUC of 0.5.
    const one = est([0.3], 0.2)
    expect(one.accuracy).toBe(0.3)
    expect(one.roc_auc).toBe(0.5)
    expect(one.f1).toBeCloseTo(0.6 / 1.3, 15)
    expect(est([0.3], 0.4).accuracy).toBe(0.7)
  })

  it('returns NaN for metrics that are undefined, and never throws on degenerate input', () => {
    expect(est([])).toEqual({ accuracy: NaN, roc_auc: NaN, f1: NaN })
    expect(est([0, 0, 0])).toEqual({ accuracy: 1, roc_auc: NaN, f1: NaN })
    expect(est([1, 1])).toEqual({ accuracy: 1, roc_auc: NaN, f1: 1 })
    expect(est([1, 0, 1])).toEqual({ accuracy: 1, roc_auc: 1, f1: 1 })
  })

  it('rejects probabilities outside [0, 1] and a bad threshold, naming them', () => {
    expect(() => est([0.2, 1.2])).toThrow('p[1] must be a probability in [0, 1], got 1.2')
    expect(() => est([NaN])).toThrow('p[0] must be a probability in [0, 1], got NaN')
    expect(() => est([0.2], 2)).toThrow('threshold must be in [0, 1], got 2')
  })
})

describe('estimateMulticlassAccuracy and estimateMulticlassRocAuc', () => {
  const probs = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6])

  it('computes the mean top probability and the macro one-vs-rest AUC of two rows by hand', () => {
    expect(estimateMulticlassAccuracy(probs, 3)).toBeCloseTo(0.65, 15)
    // Per class, Σ_i Σ_j p_i (1 − p_j) over pairs ranked i above j (ties and i = j count half),
    // divided by Σ p · Σ (1 − p): 0.78 / 0.96, 0.425 / 0.75, 0.705 / 0.91.
    expect(estimateMulticlassRocAuc(probs, 3)).toBeCloseTo(
      (0.78 / 0.96 + 0.425 / 0.75 + 0.705 / 0.91) / 3,
      14,
    )
  })

  it('leaves out classes whose AUC is undefined, and is NaN with none left', () => {
    // Class 2 never has any probability: only classes 0 and 1 count.
    const two = Float64Array.from([0.8, 0.2, 0, 0.4, 0.6, 0])
    const pair = estimateBinaryPerformance(Float64Array.from([0.2, 0.6])).roc_auc
    expect(estimateMulticlassRocAuc(two, 3)).toBeCloseTo(pair, 15)
    expect(estimateMulticlassRocAuc(new Float64Array(0), 3)).toBeNaN()
    expect(estimateMulticlassAccuracy(new Float64Array(0), 3)).toBeNaN()
  })

  it('rejects a matrix that is not n × K', () => {
    expect(() => estimateMulticlassAccuracy(probs, 4)).toThrow(
      'probs must hold n × 4 probabilities, got 6 values',
    )
    expect(() => estimateMulticlassRocAuc(probs, 1)).toThrow('K must be an integer >= 2, got 1')
  })
})

describe('CBPE against an independent numpy implementation', () => {
  it('agrees to 1e-12 on random probabilities, with ties and exact 0 and 1', () => {
    const rnd = mulberry32(11)
    const binary = [0.5, 0.3, 0.7].map((threshold, k) => {
      const p = Array.from({ length: 2000 }, () => {
        const u = rnd()
        // Case 1 rounds to two decimals (many ties, exact 0 and 1).
        return k === 1 ? Math.round(u * 100) / 100 : u * u
      })
      return { p, K: 1, threshold }
    })
    const multi = [3, 5].map((K) => {
      const p: number[] = []
      for (let i = 0; i < 1500; i++) {
        const raw = Array.from({ length: K }, () => -Math.log(1 - rnd()))
        const sum = raw.reduce((a, b) => a + b, 0)
        p.push(...raw.map((r) => r / sum))
      }
      return { p, K, threshold: 0 }
    })
    const expected = pythonOracle<{ accuracy: number; f1?: number; roc_auc: number }[]>(CBPE, [
      ...binary,
      ...multi,
    ])
    binary.forEach((c, i) => {
      const e = estimateBinaryPerformance(Float64Array.from(c.p), c.threshold)
      const ref = expected[i]!
      expect(Math.abs(e.accuracy - ref.accuracy)).toBeLessThan(1e-12)
      expect(Math.abs(e.f1 - ref.f1!)).toBeLessThan(1e-12)
      expect(Math.abs(e.roc_auc - ref.roc_auc)).toBeLessThan(1e-12)
    })
    multi.forEach((c, i) => {
      const ref = expected[binary.length + i]!
      const p = Float64Array.from(c.p)
      expect(Math.abs(estimateMulticlassAccuracy(p, c.K) - ref.accuracy)).toBeLessThan(1e-12)
      expect(Math.abs(estimateMulticlassRocAuc(p, c.K) - ref.roc_auc)).toBeLessThan(1e-12)
    })
  })
})

describe('CBPE estimates what labels drawn from the probabilities realize', () => {
  it('binary: accuracy, ROC AUC and F1 within 0.01 on 200,000 rows', () => {
    const rnd = mulberry32(2024)
    const n = 200_000
    const p = new Float64Array(n)
    const y = new Float64Array(n)
    const predicted = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      // A skewed score distribution: mostly negatives, a confident tail.
      p[i] = rnd() ** 2
      y[i] = rnd() < p[i]! ? 1 : 0
      predicted[i] = p[i]! >= 0.5 ? 1 : 0
    }
    const e = estimateBinaryPerformance(p)
    let hits = 0
    for (let i = 0; i < n; i++) if (predicted[i] === y[i]) hits++
    expect(Math.abs(e.accuracy - hits / n)).toBeLessThan(0.01)
    expect(Math.abs(e.roc_auc - rocAuc(y, p))).toBeLessThan(0.01)
    expect(Math.abs(e.f1 - precisionRecallF1(y, predicted).f1)).toBeLessThan(0.01)
  })

  it('multiclass: accuracy and macro ROC AUC within 0.01 on 200,000 rows', () => {
    const rnd = mulberry32(77)
    const n = 200_000
    const K = 4
    const probs = new Float64Array(n * K)
    const y = new Float64Array(n)
    let hits = 0
    for (let i = 0; i < n; i++) {
      let sum = 0
      for (let k = 0; k < K; k++) sum += probs[i * K + k] = -Math.log(1 - rnd()) * (k + 1)
      let best = 0
      for (let k = 0; k < K; k++) {
        probs[i * K + k] = probs[i * K + k]! / sum
        if (probs[i * K + k]! > probs[i * K + best]!) best = k
      }
      // y ~ Categorical(row i)
      let u = rnd()
      let c = 0
      while (c < K - 1 && u >= probs[i * K + c]!) u -= probs[i * K + c++]!
      y[i] = c
      if (c === best) hits++
    }
    expect(Math.abs(estimateMulticlassAccuracy(probs, K) - hits / n)).toBeLessThan(0.01)
    expect(Math.abs(estimateMulticlassRocAuc(probs, K) - rocAucOvr(y, probs, K))).toBeLessThan(0.01)
  })
})
