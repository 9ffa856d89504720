import { describe, expect, it } from 'vitest'
import { logisticToLinearJson, ridgeToLinearJson } from './linear-onnx.js'
import { predictLinear, predictLogistic, trainLogistic, trainRidge } from './linear/index.js'
import { OnnxModel, exportLinearClassifier, exportLinearRegressor } from './onnx/index.js'
import { seededRandom } from './random.js'

const NAMES = ['age', 'income', 'tenure']

// Float32 inputs, so that ONNX and the TypeScript model see the same values.
function features(n: number, seed: number): Float64Array[] {
  const rng = seededRandom(seed)
  return [
    Float64Array.from({ length: n }, () => Math.fround(20 + rng() * 50)),
    Float64Array.from({ length: n }, () => Math.fround(rng() * 4 - 1)),
    Float64Array.from({ length: n }, () => Math.fround(rng() * 10)),
  ]
}

const score = (x: Float64Array[], i: number) =>
  0.05 * (x[0]![i]! - 45) + 1.2 * x[1]![i]! - 0.3 * (x[2]![i]! - 5)

async function runOnnx(bytes: Uint8Array, x: Float64Array[]) {
  const model = await OnnxModel.load(bytes)
  const feeds = Object.fromEntries(NAMES.map((name, j) => [name, Float32Array.from(x[j]!)]))
  const out = await model.run(feeds, x[0]!.length)
  await model.release()
  return out
}

function maxAbsDiff(got: unknown, expected: Float64Array): number {
  const values = got as number[]
  expect(values).toHaveLength(expected.length)
  return Math.max(...values.map((v, i) => Math.abs(v - expected[i]!)))
}

describe('ridgeToLinearJson', () => {
  it('exports a ridge model whose ONNX predictions match predictLinear on held-out rows', async () => {
    const rng = seededRandom(3)
    const train = features(800, 1)
    const label = Float64Array.from({ length: 800 }, (_, i) => 10 + score(train, i) + rng() - 0.5)
    const model = trainRidge({ features: train, label }, { lambda: 2 })
    const test = features(300, 2)
    const out = await runOnnx(exportLinearRegressor(ridgeToLinearJson(model, NAMES)), test)
    expect(out.prediction?.dims).toEqual([300, 1])
    expect(maxAbsDiff(out.prediction?.values, predictLinear(model, test))).toBeLessThan(1e-5)
  })

  it('refuses feature names that do not match the coefficients', () => {
    const model = { coefficients: Float64Array.of(1, 2), intercept: 0 }
    expect(() => ridgeToLinearJson(model, ['a'])).toThrow(
      'featureNames has 1 names; the model has 2 features',
    )
  })
})

describe('logisticToLinearJson', () => {
  it('binary: P(classes[1]) and labels match predictLogistic on held-out rows', async () => {
    const rng = seededRandom(4)
    const train = features(1000, 5)
    const label = Float64Array.from({ length: 1000 }, (_, i) =>
      rng() < 1 / (1 + Math.exp(-score(train, i))) ? 1 : 0,
    )
    const model = trainLogistic({ features: train, label })
    const test = features(400, 6)
    const classes = [3, 7]
    const out = await runOnnx(
      exportLinearClassifier(logisticToLinearJson(model, NAMES, classes)),
      test,
    )
    const p1 = predictLogistic(model, test)
    const probabilities = Float64Array.from({ length: 800 }, (_, k) =>
      k % 2 === 1 ? p1[k >> 1]! : 1 - p1[k >> 1]!,
    )
    expect(out.probabilities?.dims).toEqual([400, 2])
    expect(maxAbsDiff(out.probabilities?.values, probabilities)).toBeLessThan(1e-5)
    expect(out.label?.values).toEqual(Array.from(p1, (p) => (p > 0.5 ? 7 : 3)))
  })

  it('3 classes with string labels: softmax probabilities and labels match', async () => {
    const rng = seededRandom(8)
    const train = features(1500, 9)
    const label = Float64Array.from({ length: 1500 }, (_, i) => {
      const s = score(train, i) + (rng() - 0.5)
      return s < -0.7 ? 0 : s < 0.7 ? 1 : 2
    })
    const model = trainLogistic({ features: train, label })
    const test = features(500, 10)
    const classes = ['low', 'mid', 'high']
    const out = await runOnnx(
      exportLinearClassifier(logisticToLinearJson(model, NAMES, classes)),
      test,
    )
    const expected = predictLogistic(model, test)
    expect(out.probabilities?.dims).toEqual([500, 3])
    expect(maxAbsDiff(out.probabilities?.values, expected)).toBeLessThan(1e-5)
    const labels = Array.from({ length: 500 }, (_, i) => {
      const row = Array.from(expected.subarray(i * 3, i * 3 + 3))
      return classes[row.indexOf(Math.max(...row))]
    })
    expect(out.label?.values).toEqual(labels)
    expect(new Set(labels).size).toBe(3)
  })

  it('refuses classes that do not match the model', () => {
    const train = features(50, 11)
    const label = Float64Array.from({ length: 50 }, (_, i) => i % 3)
    const model = trainLogistic({ features: train, label }, { maxIterations: 5 })
    expect(() => logisticToLinearJson(model, NAMES, ['a', 'b'])).toThrow(
      'classes has 2 labels; the model has 3 classes',
    )
    expect(() => logisticToLinearJson(model, NAMES, ['a', 'b', 'a'])).toThrow(
      'classes must be distinct: a, b, a',
    )
    expect(() => logisticToLinearJson(model, NAMES, [0, 1, 2.5])).toThrow(
      'numeric classes must be integers: 0, 1, 2.5',
    )
    expect(() => logisticToLinearJson(model, ['a'], [0, 1, 2])).toThrow(
      'featureNames has 1 names; the model has 3 features',
    )
  })
})
