import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { predictLinear, trainRidge } from './ridge.js'

function dataset(
  n: number,
  p: number,
  seed: number,
): { features: Float64Array[]; label: Float64Array } {
  const rng = seededRandom(seed)
  const features = Array.from({ length: p }, (_, f) =>
    Float64Array.from({ length: n }, () => rng() * (f + 1) * 10 - 3),
  )
  const label = Float64Array.from(
    { length: n },
    (_, i) => 2 + features.reduce((s, col, f) => s + (f - 1.5) * col[i]!, 0) + rng() - 0.5,
  )
  return { features, label }
}

describe('trainRidge', () => {
  it('matches numpy.linalg.solve on the standardized normal equations', () => {
    const data = dataset(300, 4, 7)
    const model = trainRidge(data, { lambda: 5 })
    const expected = pythonOracle<{ coef: number[]; intercept: number }>(
      `X = np.array(data['X']).T; y = np.array(data['y']); lam = 5.0
mu = X.mean(0); sd = X.std(0); Z = (X - mu) / sd
w = np.linalg.solve(Z.T @ Z + lam * np.eye(Z.shape[1]), Z.T @ (y - y.mean()))
coef = w / sd
print(json.dumps({'coef': coef.tolist(), 'intercept': float(y.mean() - coef @ mu)}))`,
      { X: data.features.map((c) => Array.from(c)), y: Array.from(data.label) },
    )
    expected.coef.forEach((c, j) => expect(model.coefficients[j]).toBeCloseTo(c, 9))
    expect(model.intercept).toBeCloseTo(expected.intercept, 9)
  })

  it('with lambda 0 recovers least squares, and the intercept is not shrunk', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5])
    const fit = trainRidge({ features: [x], label: x.map((v) => 3 * v + 10) }, { lambda: 0 })
    expect(fit.coefficients[0]).toBeCloseTo(3, 12)
    expect(fit.intercept).toBeCloseTo(10, 12)
    expect(Array.from(predictLinear(fit, [Float64Array.from([6])]))[0]).toBeCloseTo(28, 10)
    const constant = trainRidge(
      { features: [x], label: new Float64Array(5).fill(7) },
      { lambda: 1e6 },
    )
    expect(constant.intercept).toBeCloseTo(7, 12)
  })

  it('refuses a negative lambda and mismatched columns', () => {
    const x = Float64Array.from([1, 2, 3])
    expect(() => trainRidge({ features: [x], label: x }, { lambda: -1 })).toThrow(
      "ridge parameter 'lambda' must be >= 0; got -1",
    )
    expect(() => trainRidge({ features: [x], label: Float64Array.from([1, 2]) })).toThrow(
      'features[0] has 3 rows; label has 2',
    )
  })
})
