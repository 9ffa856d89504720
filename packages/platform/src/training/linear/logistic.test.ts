import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.js'
import { pythonOracle } from '../test-support/python-oracle.js'
import { predictLogistic, trainLogistic } from './logistic.js'

// The same objective, minimized by scipy: mean NLL + λ/2‖W‖² on standardized features.
const SCIPY = `from scipy.optimize import minimize
X = np.array(data['X']).T; y = np.array(data['y'], dtype=int); lam = data['lam']; K = data['K']
mu = X.mean(0); sd = X.std(0); Z = (X - mu) / sd; n, p = Z.shape
def f(t):
    W = t.reshape(K, p + 1); S = Z @ W[:, :p].T + W[:, p]
    if K == 1:
        s = S[:, 0]; P = 1 / (1 + np.exp(-s)); loss = np.mean(np.logaddexp(0, s) - y * s); R = (P - y)[:, None]
    else:
        m = S.max(1, keepdims=True); E = np.exp(S - m); P = E / E.sum(1, keepdims=True)
        loss = np.mean(m[:, 0] + np.log(E.sum(1)) - S[np.arange(n), y]); R = P.copy(); R[np.arange(n), y] -= 1
    G = np.hstack([R.T @ Z / n, R.mean(0)[:, None]])
    G[:, :p] += lam * W[:, :p]
    return loss + lam / 2 * np.sum(W[:, :p] ** 2), G.ravel()
r = minimize(f, np.zeros(K * (p + 1)), jac=True, method='BFGS', options={'gtol': 1e-11, 'maxiter': 10000})
W = r.x.reshape(K, p + 1); coef = W[:, :p] / sd; b = W[:, p] - coef @ mu
print(json.dumps({'coef': coef.tolist(), 'intercept': b.tolist()}))`

function blobs(
  n: number,
  classes: number,
  seed: number,
): { features: Float64Array[]; label: Float64Array } {
  const rng = seededRandom(seed)
  const label = Float64Array.from({ length: n }, () => Math.floor(rng() * classes))
  const features = [0, 1, 2].map((f) =>
    Float64Array.from(
      label,
      (y) => (f + 1) * (y * (f === 2 ? -0.5 : 1) + 2 * (rng() + rng() + rng() - 1.5)) + 5 * f,
    ),
  )
  return { features, label }
}

describe('trainLogistic', () => {
  for (const K of [2, 3]) {
    it(`matches scipy.optimize.minimize on the penalized loss (${K} classes) to 1e-4`, () => {
      const data = blobs(400, K, 11 + K)
      const model = trainLogistic(data, { lambda: 0.01 })
      expect(model.converged).toBe(true)
      const ref = pythonOracle<{ coef: number[][]; intercept: number[] }>(SCIPY, {
        X: data.features.map((c) => Array.from(c)),
        y: Array.from(data.label),
        lam: 0.01,
        K: K === 2 ? 1 : K,
      })
      ref.coef.forEach((row, k) =>
        row.forEach((c, j) => expect(Math.abs(model.coefficients[k]![j]! - c)).toBeLessThan(1e-4)),
      )
      ref.intercept.forEach((b, k) => expect(Math.abs(model.intercepts[k]! - b)).toBeLessThan(1e-4))
    })
  }

  it('predicts probabilities that sum to one for each row', () => {
    const data = blobs(200, 3, 5)
    const probs = predictLogistic(trainLogistic(data), data.features)
    for (let i = 0; i < 200; i++)
      expect(probs[i * 3]! + probs[i * 3 + 1]! + probs[i * 3 + 2]!).toBeCloseTo(1, 12)
  })

  it('names a bad label and a bad parameter', () => {
    const x = Float64Array.from([1, 2, 3])
    expect(() => trainLogistic({ features: [x], label: Float64Array.from([0, 1.5, 1]) })).toThrow(
      'label[1] must be a class index >= 0; got 1.5',
    )
    expect(() =>
      trainLogistic({ features: [x], label: Float64Array.from([0, 1, 1]) }, { maxIterations: 0 }),
    ).toThrow("'maxIterations' must be an integer >= 1")
  })
})
