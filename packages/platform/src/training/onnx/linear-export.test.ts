import { describe, expect, it } from 'vitest'
import { exportLinearClassifier, exportLinearRegressor } from './linear-export.js'
import { OnnxModel } from './onnx-runtime.js'

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

async function run(
  bytes: Uint8Array,
  feeds: Record<string, Float32Array | string[]>,
  rows: number,
) {
  return (await OnnxModel.load(bytes)).run(feeds, rows)
}

function expectClose(actual: unknown, expected: number[], digits = 6) {
  const values = actual as number[]
  expect(values).toHaveLength(expected.length)
  values.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, digits))
}

describe('exportLinearRegressor', () => {
  it('standardizes with the scaler, then applies coefficients and intercept', async () => {
    const bytes = exportLinearRegressor({
      coefficients: [[2, -3]],
      intercepts: [0.5],
      featureNames: ['x1', 'x2'],
      scaler: { mean: [1, 10], scale: [2, 0] },
    })
    const out = await run(bytes, { x1: Float32Array.of(5, 1), x2: Float32Array.of(11, 7) }, 2)
    // Row 0: 2*(5-1)/2 - 3*(11-10) + 0.5 = 1.5; row 1: 0 - 3*(-3) + 0.5 = 9.5 (scale 0 → 1).
    expect(out.prediction).toEqual({ dims: [2, 1], values: [1.5, 9.5] })
  })

  it('refuses coefficients that do not match the features', () => {
    expect(() =>
      exportLinearRegressor({ coefficients: [[1]], intercepts: [0], featureNames: ['a', 'b'] }),
    ).toThrow('coefficients[0] has 1 values but there are 2 features')
  })
})

describe('exportLinearClassifier', () => {
  it('binary: probabilities are 1/(1+exp(-z)) and the label is the more probable class', async () => {
    const bytes = exportLinearClassifier({
      coefficients: [[0.8, -0.4]],
      intercepts: [-0.1],
      classes: [0, 1],
      featureNames: ['a', 'b'],
    })
    const a = [1, -2, 0.5]
    const b = [0, 1, 3]
    const out = await run(bytes, { a: Float32Array.from(a), b: Float32Array.from(b) }, 3)
    const z = a.map((ai, i) => 0.8 * ai - 0.4 * (b[i] ?? 0) - 0.1)
    expectClose(
      out.probabilities?.values,
      z.flatMap((zi) => [1 - sigmoid(zi), sigmoid(zi)]),
    )
    expect(out.label?.values).toEqual([1, 0, 0])
  })

  it('multinomial with string classes: softmax over the rows', async () => {
    const bytes = exportLinearClassifier({
      coefficients: [[1], [0], [-1]],
      intercepts: [0, 0.5, 0],
      classes: ['low', 'mid', 'high'],
      featureNames: ['x'],
    })
    const out = await run(bytes, { x: Float32Array.of(2, -2) }, 2)
    const softmax = (s: number[]) => {
      const e = s.map(Math.exp)
      const t = e.reduce((p, q) => p + q, 0)
      return e.map((v) => v / t)
    }
    expectClose(out.probabilities?.values, [...softmax([2, 0.5, -2]), ...softmax([-2, 0.5, 2])])
    expect(out.label).toEqual({ dims: [2], values: ['low', 'high'] })
  })

  it('one-hot string column with an unknown category and an imputed numeric column', async () => {
    const bytes = exportLinearClassifier(
      {
        coefficients: [[1, 2, 4, 0.5]],
        intercepts: [0],
        classes: [0, 1],
        featureNames: ['origin=SEA', 'origin=LAX', 'origin=JFK', 'distance'],
      },
      {
        columns: [
          { kind: 'onehot', name: 'origin', categories: ['SEA', 'LAX', 'JFK'] },
          { kind: 'numeric', name: 'distance', fill: -2 },
        ],
      },
    )
    const out = await run(
      bytes,
      { origin: ['LAX', 'ORD', 'JFK'], distance: Float32Array.of(2, Number.NaN, 0) },
      3,
    )
    // z = 2 + 1; ORD unknown → 0 + 0.5 * -2 (imputed); 4 + 0.
    const z = [3, -1, 4]
    expectClose(
      out.probabilities?.values,
      z.flatMap((zi) => [1 - sigmoid(zi), sigmoid(zi)]),
    )
    expect(out.label?.values).toEqual([1, 0, 1])
  })

  it('ordinal string column: unknown categories get the declared value', async () => {
    const bytes = exportLinearRegressor(
      { coefficients: [[10]], intercepts: [1], featureNames: ['weather'] },
      {
        columns: [
          { kind: 'ordinal', name: 'weather', categories: ['sun', 'rain'], unknownValue: -1 },
        ],
      },
    )
    const out = await run(bytes, { weather: ['rain', 'sun', 'snow'] }, 3)
    expect(out.prediction?.values).toEqual([11, 1, -9])
  })

  it('refuses a binary classifier with two coefficient rows', () => {
    expect(() =>
      exportLinearClassifier({
        coefficients: [[1], [2]],
        intercepts: [0, 0],
        classes: [0, 1],
        featureNames: ['x'],
      }),
    ).toThrow('a classifier needs 2 labels and 1 row, or k > 2 labels and k rows')
  })
})
