import { describe, expect, it } from 'vitest'
import { gbdtToTreeEnsemble } from './gbdt-onnx.js'
import { trainGbdt } from './gbdt/index.js'
import { OnnxModel, exportTreeEnsemble } from './onnx/index.js'
import { seededRandom } from './random.js'

// Float32-representable inputs: onnxruntime compares in float32, so thresholds taken from the
// training data are then exact on both sides.
function data(n: number, seed: number) {
  const rng = seededRandom(seed)
  const features = Array.from({ length: 4 }, () =>
    Float64Array.from({ length: n }, () => (rng() < 0.05 ? Number.NaN : Math.fround(rng() * 10))),
  )
  const x = (j: number, i: number) => (Number.isNaN(features[j]![i]!) ? 5 : features[j]![i]!)
  const score = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(x(0, i)) + x(1, i) * 0.3 - x(2, i) * x(3, i) * 0.05,
  )
  return { features, score, rng }
}

function feeds(features: Float64Array[], names: string[]) {
  return Object.fromEntries(names.map((name, j) => [name, Float32Array.from(features[j]!)]))
}

const NAMES = ['a', 'b', 'c', 'd']

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
      const onnx = await OnnxModel.load(
        exportTreeEnsemble(gbdtToTreeEnsemble(model.toJSON(), NAMES)),
      )
      const out = await onnx.run(feeds(test.features, NAMES), 1000)
      const expected = model.predict(test.features)
      const got =
        objective === 'regression'
          ? (out.prediction!.values as number[])
          : (out.probabilities!.values as number[]).filter((_, k) => k % 2 === 1)
      expect(got).toHaveLength(1000)
      const worst = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))
      expect(worst).toBeLessThan(1e-5)
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
    const onnx = await OnnxModel.load(exportTreeEnsemble(gbdtToTreeEnsemble(model.toJSON(), NAMES)))
    const out = await onnx.run(feeds(test.features, NAMES), 500)
    const expected = model.predict(test.features)
    const got = out.probabilities!.values as number[]
    expect(got).toHaveLength(expected.length)
    expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-5)
  })

  it('refuses a model with categorical splits, naming the feature', () => {
    const rng = seededRandom(7)
    const cat = Float64Array.from({ length: 600 }, () => Math.floor(rng() * 12))
    const label = cat.map((c) => (c % 3 === 0 ? 1 : 0))
    const model = trainGbdt(
      { features: [cat], label, categorical: [true] },
      { objective: 'binary', numTrees: 2, maxDepth: 2, minChildSamples: 5 },
    )
    expect(() => gbdtToTreeEnsemble(model.toJSON(), ['colour'])).toThrow(
      "tree 0 splits categorical feature 'colour'; ONNX export of categorical splits is not supported yet",
    )
    expect(() => gbdtToTreeEnsemble(model.toJSON(), ['a', 'b'])).toThrow(
      'featureNames has 2 names; the model has 1 features',
    )
  })
})
