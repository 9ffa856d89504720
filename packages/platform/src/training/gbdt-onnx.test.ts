import { describe, expect, it } from 'vitest'
import { gbdtToTreeEnsemble } from './gbdt-onnx.js'
import { type GbdtModel, type GbdtObjective, trainGbdt } from './gbdt/index.js'
import { OnnxModel, exportTreeEnsemble } from './onnx/index.js'
import { isSetSplit } from './onnx/tree-ensemble-json.js'
import { planCategoryRanks } from './onnx/tree-ensemble-sets.js'
import { seededRandom } from './random.js'

const NAMES = ['a', 'b', 'c', 'd']
const CAT_NAMES = ['a', 'b', 'colour', 'size']

/**
 * Four numeric features with NaN; `round` makes them float32 values (exact in ONNX) or leaves
 * them as arbitrary doubles.
 */
function data(n: number, seed: number, round = true) {
  const rng = seededRandom(seed)
  const value = round ? (v: number) => Math.fround(v) : (v: number) => v
  const features = Array.from({ length: 4 }, () =>
    Float64Array.from({ length: n }, () => (rng() < 0.05 ? Number.NaN : value(rng() * 10))),
  )
  const x = (j: number, i: number) => (Number.isNaN(features[j]![i]!) ? 5 : features[j]![i]!)
  const score = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(x(0, i)) + x(1, i) * 0.3 - x(2, i) * x(3, i) * 0.05,
  )
  return { features, score }
}

/**
 * Two numeric features (with NaN) and two categorical: `colour` with 15 codes (some held-out rows
 * carry an unseen code or NaN) and `size` with 3. The score depends on an arbitrary set of colours,
 * so that the trees split on sets of more than one code.
 */
function categoricalData(n: number, seed: number, heldOut = false) {
  const rng = seededRandom(seed)
  const HIGH = new Set([0, 3, 4, 8, 11, 13])
  const numeric = () =>
    Float64Array.from({ length: n }, () => (rng() < 0.05 ? Number.NaN : Math.fround(rng() * 10)))
  const a = numeric()
  const b = numeric()
  const colour = Float64Array.from({ length: n }, () => {
    const u = rng()
    if (heldOut && u < 0.03) return Number.NaN
    if (heldOut && u < 0.06) return 40
    return Math.floor(rng() * 15)
  })
  const size = Float64Array.from({ length: n }, () => Math.floor(rng() * 3))
  const score = Float64Array.from({ length: n }, (_, i) => {
    const c = colour[i]!
    const s = size[i]!
    const ai = Number.isNaN(a[i]!) ? 2 : a[i]!
    return (HIGH.has(c) ? 1.5 : c === 7 ? -1 : 0) + s * 0.7 + Math.sin(ai) + (b[i]! > 6 ? 0.5 : 0)
  })
  return { features: [a, b, colour, size], score }
}

function feeds(features: Float64Array[], names: string[]) {
  return Object.fromEntries(names.map((name, j) => [name, Float32Array.from(features[j]!)]))
}

/** onnxruntime's output in GbdtModel.predict's layout: values, P(class 1) or n × K. */
async function onnxPredict(
  model: GbdtModel,
  names: string[],
  features: Float64Array[],
): Promise<number[]> {
  const onnx = await OnnxModel.load(exportTreeEnsemble(gbdtToTreeEnsemble(model.toJSON(), names)))
  const rows = features[0]!.length
  const out = await onnx.run(feeds(features, names), rows)
  await onnx.release()
  if (model.objective === 'regression') return out.prediction!.values as number[]
  const probabilities = out.probabilities!.values as number[]
  return model.objective === 'binary' ? probabilities.filter((_, k) => k % 2 === 1) : probabilities
}

function maxAbsDiff(got: number[], expected: Float64Array): number {
  expect(got).toHaveLength(expected.length)
  return Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))
}

function labelsFor(objective: GbdtObjective, score: Float64Array): Float64Array {
  if (objective === 'regression') return score
  if (objective === 'binary') return score.map((s) => (s > 1.5 ? 1 : 0))
  return score.map((s) => (s < 0.8 ? 0 : s < 2 ? 1 : 2))
}

describe('GBDT exported to ONNX', () => {
  it('predicts held-out rows as the TypeScript model does, to 1e-5 (regression and binary)', async () => {
    const train = data(4000, 1)
    const test = data(1000, 2)
    for (const objective of ['regression', 'binary'] as const) {
      const label =
        objective === 'regression' ? train.score : train.score.map((s) => (s > 1 ? 1 : 0))
      const model = trainGbdt(
        { features: train.features, label },
        { objective, numTrees: 100, maxDepth: 6, learningRate: 0.1, seed: 3 },
      )
      const got = await onnxPredict(model, NAMES, test.features)
      expect(maxAbsDiff(got, model.predict(test.features))).toBeLessThan(1e-5)
    }
  })

  it('gives multiclass probabilities that match', async () => {
    const train = data(3000, 4)
    const test = data(500, 5)
    const label = train.score.map((s) => (s < 0 ? 0 : s < 1.5 ? 1 : 2))
    const model = trainGbdt(
      { features: train.features, label },
      { objective: 'multiclass', numClass: 3, numTrees: 30, maxDepth: 4, seed: 1 },
    )
    const got = await onnxPredict(model, NAMES, test.features)
    expect(maxAbsDiff(got, model.predict(test.features))).toBeLessThan(1e-5)
  })

  describe.each(['regression', 'binary', 'multiclass'] as const)(
    'native categorical features (%s)',
    (objective) => {
      it('splits on sets of codes and matches on held-out rows with unseen codes and NaN', async () => {
        const train = categoricalData(5000, 11)
        const test = categoricalData(2000, 12, true)
        const model = trainGbdt(
          {
            features: train.features,
            label: labelsFor(objective, train.score),
            categorical: [false, false, true, true],
          },
          { objective, numTrees: 60, maxDepth: 5, seed: 2 },
        )
        const ensemble = gbdtToTreeEnsemble(model.toJSON(), CAT_NAMES)
        const setSizes = ensemble.trees.flatMap((t) =>
          t.nodes.filter(isSetSplit).map((n) => n.categories.length),
        )
        // Sets of several codes occur, so the export chains equality tests.
        expect(Math.max(...setSizes)).toBeGreaterThan(1)
        const got = await onnxPredict(model, CAT_NAMES, test.features)
        expect(maxAbsDiff(got, model.predict(test.features))).toBeLessThan(1e-5)
      })
    },
  )

  it('matches on a feature of 150 codes, whose sets span several rank blocks', async () => {
    const rng = seededRandom(5)
    const HIGH = new Set(Array.from({ length: 150 }, (_, c) => c).filter(() => rng() < 0.4))
    const data = (n: number, heldOut: boolean) => {
      const airport = Float64Array.from({ length: n }, () => {
        const u = rng()
        if (heldOut && u < 0.02) return Number.NaN
        if (heldOut && u < 0.04) return [150, 1000, -1, 0.5][Math.floor(rng() * 4)]!
        return Math.floor(rng() * 150)
      })
      const distance = Float64Array.from({ length: n }, () => Math.fround(rng() * 10))
      const label = Float64Array.from(airport, (c, i) =>
        (HIGH.has(c) ? 1 : 0) + (distance[i]! > 5 ? 0.8 : 0) + rng() * 0.6 > 1.2 ? 1 : 0,
      )
      return { features: [distance, airport], label }
    }
    const train = data(6000, false)
    const test = data(3000, true)
    const model = trainGbdt(
      { ...train, categorical: [false, true] },
      { objective: 'binary', numTrees: 40, maxDepth: 5, seed: 3 },
    )
    const names = ['distance', 'airport']
    const [ranks] = planCategoryRanks(gbdtToTreeEnsemble(model.toJSON(), names))
    expect(ranks!.codes.length).toBeGreaterThan(64)
    const got = await onnxPredict(model, names, test.features)
    expect(maxAbsDiff(got, model.predict(test.features))).toBeLessThan(1e-5)
  })

  it('turns a categorical split into a set split with the codes that go left', () => {
    const rng = seededRandom(7)
    const cat = Float64Array.from({ length: 600 }, () => Math.floor(rng() * 12))
    const label = cat.map((c) => (c % 3 === 0 ? 1 : 0))
    const model = trainGbdt(
      { features: [cat], label, categorical: [true] },
      { objective: 'binary', numTrees: 1, maxDepth: 1, minChildSamples: 5 },
    )
    const root = gbdtToTreeEnsemble(model.toJSON(), ['colour']).trees[0]!.nodes[0]!
    expect(root).toEqual({ feature: 0, categories: [1, 2, 4, 5, 7, 8, 10, 11], left: 1, right: 2 })
    expect(() => gbdtToTreeEnsemble(model.toJSON(), ['a', 'b'])).toThrow(
      'featureNames has 2 names; the model has 1 features',
    )
  })

  it('refuses a categorical code that float32 inputs cannot represent, naming the feature', () => {
    const cat = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0.1 : 0.2))
    const label = cat.map((c) => (c === 0.1 ? 1 : 0))
    const model = trainGbdt(
      { features: [cat], label, categorical: [true] },
      { objective: 'binary', numTrees: 1, maxDepth: 1, minChildSamples: 5 },
    )
    expect(() => gbdtToTreeEnsemble(model.toJSON(), ['colour'])).toThrow(
      "tree 0 splits categorical feature 'colour' on code 0.1, which float32 inputs cannot represent; use integer codes below 2^24",
    )
  })
})

describe('GBDT exported to ONNX, inputs that are not float32 values', () => {
  it('ONNX fed fround(x) agrees with GbdtModel fed x on training and held-out rows', async () => {
    const train = data(5000, 21, false)
    const test = data(5000, 22, false)
    const model = trainGbdt(
      { features: train.features, label: train.score },
      { objective: 'regression', numTrees: 100, maxDepth: 6, seed: 4 },
    )
    for (const rows of [train, test]) {
      // Float32Array.from rounds each double to the nearest float32, as a client sending
      // float32 tensors does.
      const got = await onnxPredict(model, NAMES, rows.features)
      const expected = model.predict(rows.features)
      const agree = got.filter((v, i) => Math.abs(v - expected[i]!) < 1e-5).length
      expect(agree / got.length).toBeGreaterThanOrEqual(0.999)
    }
    // Fed the rounded values, the TypeScript model and ONNX agree on every row.
    const rounded = test.features.map((c) => c.map(Math.fround))
    const got = await onnxPredict(model, NAMES, rounded)
    expect(maxAbsDiff(got, model.predict(rounded))).toBeLessThan(1e-5)
  })
})
