import { describe, expect, it } from 'vitest'
import { rocAuc } from '../metrics/roc-auc.js'
import { seededRandom } from '../random.js'
import { float32SplitBetween } from '../onnx/float32.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { trainGbdt } from './train-gbdt.js'

const columns = (n: number, p: number, rng: () => number): Float64Array[] =>
  Array.from({ length: p }, () => Float64Array.from({ length: n }, rng))

describe('trainGbdt: a single stump', () => {
  it('chooses the split and leaf values of the gain formula (numpy reference)', () => {
    const rng = seededRandom(1)
    const features = columns(40, 2, () => Math.round(rng() * 1000) / 10)
    const label = Float64Array.from(features[1]!, (x) => (x > 55 ? 3 : 0) + rng())
    const model = trainGbdt(
      { features, label },
      {
        objective: 'regression',
        numTrees: 1,
        maxDepth: 1,
        learningRate: 1,
        lambda: 1,
        minChildSamples: 3,
      },
    )
    const ref = pythonOracle<{
      feature: number
      threshold: number
      gain: number
      left: number
      right: number
      base: number
      next: number
    }>(
      `X = np.array(data['X']).T; y = np.array(data['y']); lam = 1.0
base = y.mean(); g = base - y; G = g.sum(); H = len(y); best = None
for f in range(X.shape[1]):
    u = np.unique(X[:, f])
    for t, nxt in zip(u[:-1], u[1:]):
        L = X[:, f] <= t; nl = L.sum()
        if nl < 3 or H - nl < 3: continue
        GL = g[L].sum(); GR = G - GL
        gain = GL**2 / (nl + lam) + GR**2 / (H - nl + lam) - G**2 / (H + lam)
        if best is None or gain > best[0]: best = (gain, f, t, -GL / (nl + lam), -GR / (H - nl + lam), nxt)
print(json.dumps({'gain': best[0], 'feature': best[1], 'threshold': best[2], 'left': best[3], 'right': best[4], 'base': base, 'next': best[5]}))`,
      { X: features.map((c) => Array.from(c)), y: Array.from(label) },
    )
    const tree = model.json.trees[0]!
    expect(model.json.baseScore[0]).toBeCloseTo(ref.base, 12)
    expect(tree.feature[0]).toBe(ref.feature)
    // The split lies between the reference's value and the next one, on a float32.
    expect(tree.threshold[0]).toBe(float32SplitBetween(ref.threshold, ref.next))
    expect(tree.gain[0]).toBeCloseTo(ref.gain, 9)
    expect(tree.value[tree.left[0]!]).toBeCloseTo(ref.left, 12)
    expect(tree.value[tree.right[0]!]).toBeCloseTo(ref.right, 12)
    expect(tree.feature.filter((f) => f === -1)).toHaveLength(2)
  })
})

describe('trainGbdt: learning', () => {
  it('regression: the training loss decreases at every iteration', () => {
    const rng = seededRandom(2)
    const features = columns(2000, 3, rng)
    const label = Float64Array.from(
      { length: 2000 },
      (_, i) => Math.sin(6 * features[0]![i]!) + features[1]![i]! ** 2 + 0.1 * rng(),
    )
    const losses: number[] = []
    const model = trainGbdt(
      { features, label },
      { objective: 'regression', numTrees: 50 },
      { onIteration: (_, train) => losses.push(train) },
    )
    expect(losses).toEqual(model.trainLoss)
    expect(losses).toHaveLength(50)
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!)
    expect(losses[49]).toBeLessThan(0.02)
  })

  it('learns an XOR interaction that no single feature explains', () => {
    const rng = seededRandom(3)
    const features = columns(4000, 2, () => rng() * 2 - 1)
    const label = Float64Array.from({ length: 4000 }, (_, i) =>
      features[0]![i]! > 0 !== features[1]![i]! > 0 ? 1 : 0,
    )
    const model = trainGbdt(
      { features, label },
      { objective: 'binary', numTrees: 60, maxDepth: 2, learningRate: 0.3 },
    )
    const probs = model.predict([
      Float64Array.from([0.5, -0.5, 0.5, -0.5]),
      Float64Array.from([0.5, -0.5, -0.5, 0.5]),
    ])
    expect(Array.from(probs, (p) => (p > 0.5 ? 1 : 0))).toEqual([0, 0, 1, 1])
    expect(Math.min(probs[2]!, probs[3]!)).toBeGreaterThan(0.9)
    expect(Math.max(probs[0]!, probs[1]!)).toBeLessThan(0.1)
  })

  it('binary classification reaches ROC AUC > 0.93 on held-out rows', () => {
    const rng = seededRandom(4)
    const make = (n: number): { features: Float64Array[]; label: Float64Array } => {
      const features = columns(n, 5, () => rng() * 2 - 1)
      const label = Float64Array.from({ length: n }, (_, i) => {
        const z =
          3 * features[0]![i]! - 2 * features[1]![i]! ** 2 + 2 * features[2]![i]! * features[3]![i]!
        return rng() < 1 / (1 + Math.exp(-3 * z)) ? 1 : 0
      })
      return { features, label }
    }
    const train = make(10_000)
    const test = make(5_000)
    const model = trainGbdt(train, {
      objective: 'binary',
      numTrees: 100,
      maxDepth: 4,
      learningRate: 0.1,
    })
    expect(rocAuc(test.label, model.predict(test.features))).toBeGreaterThan(0.93)
  })

  it('multiclass: one tree per class per iteration, probabilities summing to one', () => {
    const rng = seededRandom(5)
    const n = 3000
    const label = Float64Array.from({ length: n }, () => Math.floor(rng() * 3))
    const features = [
      Float64Array.from(label, (y) => y + rng() * 0.8),
      Float64Array.from(label, () => rng()),
    ]
    const model = trainGbdt({ features, label }, { objective: 'multiclass', numTrees: 20 })
    expect(model.json.trees).toHaveLength(60)
    expect(model.numOutputs).toBe(3)
    const probs = model.predict(features)
    let correct = 0
    for (let i = 0; i < n; i++) {
      const row = [probs[i * 3]!, probs[i * 3 + 1]!, probs[i * 3 + 2]!]
      expect(row[0]! + row[1]! + row[2]!).toBeCloseTo(1, 12)
      if (row.indexOf(Math.max(...row)) === label[i]) correct++
    }
    expect(correct / n).toBeGreaterThan(0.99)
  })
})
