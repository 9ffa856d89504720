import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { type GbdtData, trainGbdt } from './train-gbdt.js'

const STUMP = { numTrees: 1, maxDepth: 1, learningRate: 1, lambda: 0, minChildSamples: 1 } as const

describe('trainGbdt: missing values', () => {
  // x < 5 → 0, x >= 5 → 10; the NaN rows' labels say which side they belong with.
  const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN])
  for (const [missingLabel, defaultLeft] of [
    [0, true],
    [10, false],
  ] as const) {
    it(`learns the default direction (NaN rows labelled ${missingLabel} go ${defaultLeft ? 'left' : 'right'})`, () => {
      const label = Float64Array.from([0, 0, 0, 0, 10, 10, 10, 10, missingLabel, missingLabel])
      const model = trainGbdt({ features: [x], label }, { objective: 'regression', ...STUMP })
      const tree = model.json.trees[0]!
      // Halfway between the neighbouring training values 4 and 5.
      expect(tree.threshold[0]).toBe(4.5)
      expect(tree.defaultLeft[0]).toBe(defaultLeft)
      expect(model.predictRow(Float64Array.from([NaN]))).toBeCloseTo(missingLabel, 12)
      expect(model.predictRow(Float64Array.from([4.75]))).toBeCloseTo(10, 12)
    })
  }
})

describe('trainGbdt: categorical features', () => {
  // 20 categories; the target is high for an arbitrary half of them.
  const HIGH = new Set([1, 4, 6, 7, 10, 13, 15, 16, 18, 19])
  const rng = seededRandom(9)
  const n = 2000
  const code = Float64Array.from({ length: n }, () => Math.floor(rng() * 20))
  const label = Float64Array.from(code, (c) => (HIGH.has(c) ? 5 : 0) + rng())

  it('splits on a set of categories, which one-hot columns cannot do in one split', () => {
    const native = trainGbdt(
      { features: [code], label, categorical: [true] },
      { objective: 'regression', ...STUMP },
    )
    const oneHot = Array.from({ length: 20 }, (_, c) =>
      Float64Array.from(code, (v) => (v === c ? 1 : 0)),
    )
    const viaOneHot = trainGbdt({ features: oneHot, label }, { objective: 'regression', ...STUMP })
    const cats = native.json.trees[0]!.categories[0]!
    const left = new Set(cats)
    const high = [...HIGH].every((c) => left.has(c))
      ? left
      : new Set([...Array(20).keys()].filter((c) => !left.has(c)))
    expect([...high].sort((a, b) => a - b)).toEqual([...HIGH])
    expect(native.trainLoss[0]).toBeLessThan(0.1)
    expect(viaOneHot.trainLoss[0]).toBeGreaterThan(5)
    // An unseen category and NaN take the right branch.
    const right = native.json.trees[0]!.value[native.json.trees[0]!.right[0]!]!
    expect(native.predictRow(Float64Array.from([99]))).toBeCloseTo(
      native.json.baseScore[0]! + right,
      12,
    )
    expect(native.predictRow(Float64Array.from([NaN]))).toBeCloseTo(
      native.json.baseScore[0]! + right,
      12,
    )
  })
})

describe('trainGbdt: early stopping, determinism, prediction paths', () => {
  const make = (n: number, seed: number): GbdtData => {
    const rng = seededRandom(seed)
    const features = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, rng))
    features[3] = Float64Array.from(features[3]!, (v) => (v < 0.1 ? NaN : v))
    const label = Float64Array.from({ length: n }, (_, i) =>
      rng() < 0.3 + 0.4 * features[0]![i]! ? 1 : 0,
    )
    return { features, label }
  }

  it('stops when the validation loss stops improving and keeps the best iteration', () => {
    const model = trainGbdt(
      make(800, 1),
      {
        objective: 'binary',
        numTrees: 200,
        learningRate: 0.5,
        earlyStoppingRounds: 5,
        minChildSamples: 2,
      },
      { validation: make(800, 2) },
    )
    const valid = model.validLoss
    const best = valid.indexOf(Math.min(...valid))
    expect(valid.length).toBeLessThan(200)
    expect(valid.length).toBe(best + 6)
    expect(model.bestIteration).toBe(best)
    expect(model.json.trees).toHaveLength(best + 1)
  })

  it('is deterministic for a fixed seed with bagging and column sampling', () => {
    const data = make(1000, 3)
    const params = {
      objective: 'binary',
      numTrees: 10,
      baggingFraction: 0.7,
      featureFraction: 0.5,
      seed: 42,
    } as const
    const a = trainGbdt(data, params)
    expect(JSON.stringify(trainGbdt(data, params).json)).toBe(JSON.stringify(a.json))
    expect(JSON.stringify(trainGbdt(data, { ...params, seed: 43 }).json.trees)).not.toBe(
      JSON.stringify(a.json.trees),
    )
  })

  it('predictRow equals predict, and thresholds are float32 values between training values', () => {
    const data = make(1000, 4)
    data.categorical = [false, false, true, false]
    data.features[2] = Float64Array.from(data.features[2]!, (v) => Math.floor(v * 12))
    const model = trainGbdt(data, { objective: 'binary', numTrees: 20, baggingFraction: 0.8 })
    const batch = model.predict(data.features)
    const row = new Float64Array(4)
    for (let i = 0; i < 1000; i++) {
      for (let f = 0; f < 4; f++) row[f] = data.features[f]![i]!
      expect(model.predictRow(row)).toBe(batch[i])
    }
    const seen = data.features.map((c) => new Set(c))
    for (const t of model.json.trees) {
      t.feature.forEach((f, i) => {
        if (f < 0 || t.categories[i] !== null) return
        const threshold = t.threshold[i]!
        expect(Math.fround(threshold)).toBe(threshold)
        expect(seen[f]!.has(threshold)).toBe(false)
      })
    }
    expect(Array.from(model.featureImportance()).every((g) => g >= 0)).toBe(true)
    expect(model.featureImportance()[0]).toBe(Math.max(...model.featureImportance()))
  })

  it('multiclass predictRow writes probabilities and returns the most probable class', () => {
    const features = [Float64Array.from({ length: 300 }, (_, i) => i % 3)]
    const model = trainGbdt(
      { features, label: Float64Array.from(features[0]!) },
      { objective: 'multiclass', numTrees: 5, minChildSamples: 5 },
    )
    const out = new Float64Array(3)
    expect(model.predictRow(Float64Array.from([2]), out)).toBe(2)
    expect(Array.from(out)).toEqual(Array.from(model.predict([Float64Array.from([2])])))
    expect(() => model.predictRow(Float64Array.from([2]))).toThrow(
      "predictRow of a 3-class model needs 'out' of length 3",
    )
  })

  it('names the offending parameter or label', () => {
    const data = make(50, 5)
    expect(() => trainGbdt(data, { objective: 'binary', maxBins: 300 })).toThrow(
      "GBDT parameter 'maxBins' must be an integer in [2, 255]; got 300",
    )
    expect(() => trainGbdt(data, { objective: 'binary', earlyStoppingRounds: 3 })).toThrow(
      "'earlyStoppingRounds' needs a validation set",
    )
    expect(() =>
      trainGbdt({ ...data, label: data.label.map(() => 2) }, { objective: 'binary' }),
    ).toThrow('data.label[0] must be 0 or 1 for objective binary; got 2')
  })
})
